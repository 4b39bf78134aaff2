import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './runtime-harness';

/** Compiling with tsx and opening the embedded database can take half a minute on a loaded machine: a bound, not a goal. */
const START_WAIT_MS = 90_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The real bot (`src/main.ts`) as a child process, its console chat on stdin/stdout. */
export class BotProcess {
  private stdout = '';
  private stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts the bot and waits until it is serving (its start-up log line; the console banner too when on). */
  static async start(env: Record<string, string>): Promise<BotProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      // Tests read English in UTC unless they set LANGUAGE / TIMEZONE themselves.
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', LANGUAGE: 'en', TIMEZONE: 'UTC', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const bot = new BotProcess(child);
    await eventually(() => (/"msg":"ai-fixer started"/.test(bot.stderr) ? true : undefined), `the bot to start\n${bot.stderr}`, START_WAIT_MS);
    return bot;
  }

  get output(): string {
    return this.stdout;
  }

  get logs(): string {
    return this.stderr;
  }

  /** The HTTP port it listens on (from its start-up log line). */
  get httpPort(): number {
    const match = /"port":(\d+),[^\n]*"msg":"ai-fixer started"/.exec(this.stderr);
    if (!match) throw new Error('The bot has not said which port it listens on.');
    return Number(match[1]);
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return eventually(() => this.stdout.match(pattern) ?? undefined, `bot output ${pattern}\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`, timeoutMs);
  }

  /** Dies at once, as in a crash or an OOM kill: no shutdown code runs. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}

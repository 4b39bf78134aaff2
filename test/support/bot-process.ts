import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './runtime-harness';

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

  static async start(env: Record<string, string>): Promise<BotProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const bot = new BotProcess(child);
    await bot.waitFor(/you are/, 30_000);
    return bot;
  }

  get output(): string {
    return this.stdout;
  }

  get logs(): string {
    return this.stderr;
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

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './services';

const STARTED = /"port":(\d+),[^\n]*"msg":"ai-fixer started"/;
const START_TIMEOUT_MS = 45_000;

export interface Exit {
  instance: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed by the chaos run (SIGKILL), as opposed to exiting by itself. */
  planned: boolean;
  /** It had started serving (else it died starting up, e.g. while Postgres was down). */
  serving: boolean;
  /** Its last error lines, for an exit nobody asked for. */
  lastErrors: string[];
}

/**
 * One bot process (`node --import tsx src/main.ts`), restartable. Its stdout and stderr go to a log
 * file; the start-up line gives its HTTP port.
 */
export class BotInstance {
  port: number | undefined;
  starts = 0;
  private child: ChildProcessWithoutNullStreams | undefined;
  private log: WriteStream;
  private recent: string[] = [];
  private killing = false;
  private exited: Promise<void> = Promise.resolve();
  private lastExit: Exit | undefined;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    logDir: string,
    private readonly onExit: (exit: Exit) => void,
  ) {
    this.log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== undefined && this.port !== undefined;
  }

  get url(): string {
    if (this.port === undefined) throw new Error(`${this.name} is not serving`);
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and resolves once it serves; rejects if it exits first or takes too long. */
  async start(): Promise<void> {
    if (this.child) return;
    this.starts++;
    this.port = undefined;
    this.killing = false;
    this.log.write(`\n===== start #${this.starts} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...passThrough(), PORT: '0', LOG_LEVEL: 'info', ...this.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    let buffered = '';
    let resolveStarted: (() => void) | undefined;
    const started = new Promise<void>((resolve) => (resolveStarted = resolve));
    child.stdout.on('data', (chunk: Buffer) => this.log.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      const text = buffered + chunk.toString();
      const lines = text.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (/"level":(50|60)/.test(line) || /^\w*Error\b/.test(line)) this.remember(line);
        const match = this.port === undefined ? STARTED.exec(line) : null;
        if (match) {
          this.port = Number(match[1]);
          resolveStarted?.();
        }
      }
    });
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        const planned = this.killing;
        const serving = this.port !== undefined;
        this.child = undefined;
        this.port = undefined;
        this.log.write(`===== exit code=${code} signal=${signal} ${planned ? '(killed by the chaos run)' : ''}\n`);
        this.lastExit = { instance: this.name, code, signal, planned, serving, lastErrors: this.recent.slice(-3) };
        this.onExit(this.lastExit);
        this.recent = [];
        resolve();
      });
    });
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), START_TIMEOUT_MS).unref());
    const outcome = await Promise.race([started.then(() => 'started' as const), this.exited.then(() => 'exited' as const), timeout]);
    if (outcome === 'started') return;
    if (outcome === 'timeout') await this.kill();
    const why = outcome === 'exited' ? `exited with code ${this.lastExit?.code}: ${this.lastExit?.lastErrors.join(' | ') ?? ''}` : 'timed out';
    throw new Error(`${this.name} did not start (${why}); see its log`);
  }

  /** SIGKILL: no shutdown code runs, as in a crash or an OOM kill. */
  async kill(): Promise<boolean> {
    const child = this.child;
    if (!child) return false;
    this.killing = true;
    child.kill('SIGKILL');
    await this.exited;
    return true;
  }

  async close(): Promise<void> {
    await this.kill();
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private remember(line: string): void {
    this.recent.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (this.recent.length > 10) this.recent.shift();
  }
}

/** Lets a developer hand tsx a tsconfig (TSX_TSCONFIG_PATH) or Node options to the bots. */
function passThrough(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['TSX_TSCONFIG_PATH', 'NODE_OPTIONS', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

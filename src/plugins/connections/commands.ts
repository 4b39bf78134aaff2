import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { normalize } from 'node:path';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { AllowedCommandSchema } from '../targets';

type AllowedCommand = z.infer<typeof AllowedCommandSchema>;
type CommandArg = AllowedCommand['args'][number];

/** The whole environment a command gets: nothing is inherited, so no secret of the bot leaks in. C locale keeps output parseable. */
const FIXED_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
  LC_ALL: 'C',
});

const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
/** Between SIGTERM and SIGKILL to the process group. */
const KILL_GRACE_MS = 1_000;

export interface RunOptions {
  timeoutMs: number;
  /** Aborting kills the process group and rejects with the signal's reason. */
  signal: AbortSignal;
  /** Per stream. The rest is read and dropped, so a chatty program never blocks on a full pipe. */
  maxOutputBytes?: number;
}

export interface CommandOutcome {
  /** null when the program was killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  timedOut: boolean;
  /** Why the program could not be started (e.g. ENOENT, EACCES); nothing ran. */
  startError?: string;
}

/** Why a configured program path is unusable, or undefined. Absolute and normalized: no `..` tricks. */
export function programProblem(program: string): string | undefined {
  if (!program.startsWith('/')) return `program "${program}" is not an absolute path`;
  if (program.includes('\0') || normalize(program) !== program || program.endsWith('/')) {
    return `program "${program}" is not a normalized absolute path`;
  }
  return undefined;
}

/**
 * Runs one program with an argv array: never a shell, a fixed environment, a timeout and capped output.
 * It leads its own process group, so a timeout or abort kills everything it started, not just the leader.
 * Callers validate programs and arguments first; a bad one here is a bug and throws.
 */
export function runAllowed(program: string, argv: readonly string[], options: RunOptions): Promise<CommandOutcome> {
  const problem = programProblem(program);
  if (problem) throw new TypeError(`runAllowed: ${problem}`);
  if (argv.some((arg) => arg.includes('\0'))) throw new TypeError('runAllowed: an argument contains a NUL byte');
  options.signal.throwIfAborted();

  return new Promise<CommandOutcome>((resolve, reject) => {
    const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const child = spawnGroupLeader(program, argv);
    const stdout = collector(maxBytes);
    const stderr = collector(maxBytes);
    child.stdout.on('data', stdout.push);
    child.stderr.on('data', stderr.push);

    let stoppedBy: 'timeout' | 'abort' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const stop = (reason: 'timeout' | 'abort'): void => {
      if (stoppedBy || settled) return;
      stoppedBy = reason;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => {
        killGroup(child.pid, 'SIGKILL');
        // A process that left the group may still hold our pipes; stop waiting for it.
        child.stdout.destroy();
        child.stderr.destroy();
      }, KILL_GRACE_MS);
    };
    const deadline = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = (): void => stop('abort');
    options.signal.addEventListener('abort', onAbort, { once: true });

    const finish = (): void => {
      settled = true;
      clearTimeout(deadline);
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
    };
    const outcome = (exitCode: number | null, signal: NodeJS.Signals | null): CommandOutcome =>
      outcomeOf({ exitCode, signal, timedOut: stoppedBy === 'timeout' }, stdout, stderr);

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only spawn failures matter here; we never call child.kill() or send().
      if (child.pid !== undefined || settled) return;
      finish();
      resolve({ ...outcome(null, null), startError: error.code ?? error.message });
    });
    child.once('close', (exitCode, signal) => {
      if (settled) return;
      finish();
      // Members that closed their pipes but ignored SIGTERM; the group id stays reserved while any is alive.
      if (stoppedBy) killGroup(child.pid, 'SIGKILL');
      if (stoppedBy === 'abort') reject(abortError(options.signal));
      else resolve(outcome(exitCode, signal));
    });
  });
}

/** Never a shell, nothing inherited, and the leader of its own process group (so the whole group can be killed). */
function spawnGroupLeader(program: string, argv: readonly string[]): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(program, [...argv], {
    cwd: '/',
    env: FIXED_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    shell: false,
    windowsHide: true,
  });
}

type Collector = ReturnType<typeof collector>;

function outcomeOf(
  ending: Pick<CommandOutcome, 'exitCode' | 'signal' | 'timedOut'>,
  stdout: Collector,
  stderr: Collector,
): CommandOutcome {
  return {
    exitCode: ending.exitCode,
    signal: ending.signal,
    stdout: stdout.text(),
    stderr: stderr.text(),
    stdoutTruncated: stdout.truncated(),
    stderrTruncated: stderr.truncated(),
    timedOut: ending.timedOut,
  };
}

/** The signal's own reason (an AbortError or the caller's Error), so callers can tell cancel from timeout. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: already gone. EPERM: a member changed credentials; nothing more we can do from here.
  }
}

function collector(maxBytes: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  return {
    push: (chunk: Buffer): void => {
      const room = maxBytes - size;
      if (chunk.length > room) truncated = true;
      if (room <= 0) return;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(kept);
      size += kept.length;
    },
    text: (): string => Buffer.concat(chunks).toString('utf8'),
    truncated: (): boolean => truncated,
  };
}

const PLACEHOLDER = /\{([A-Za-z0-9][A-Za-z0-9._-]{0,62})\}/g;
const SHOWN_VALUE_CHARS = 80;

export type Templated = { argv: string[] } | { problem: string };

/**
 * Fills an allowlisted command's `{name}` placeholders with checked values. Every declared argument is
 * required; an unknown, missing or mismatching value refuses the whole command. Values are substituted
 * once, as data: a value that looks like `{other}` or `; rm -rf /` stays literal text in one argv element.
 */
export function templateArgv(command: AllowedCommand, values: Readonly<Record<string, string>>): Templated {
  const declared = new Map(command.args.map((arg) => [arg.name, arg]));
  const unknown = Object.keys(values).find((name) => !declared.has(name));
  if (unknown !== undefined) {
    const names = [...declared.keys()];
    return { problem: `Unknown argument "${unknown}"; ${names.length > 0 ? `declared: ${names.join(', ')}` : 'the command takes none'}` };
  }
  const checked = new Map<string, string>();
  for (const arg of command.args) {
    const value = Object.hasOwn(values, arg.name) ? values[arg.name] : undefined;
    if (value === undefined) return { problem: `Missing argument "${arg.name}"` };
    const problem = argumentProblem(arg, value);
    if (problem) return { problem };
    checked.set(arg.name, value);
  }
  const argv: string[] = [];
  for (const template of command.argv) {
    let undeclared: string | undefined;
    const filled = template.replace(PLACEHOLDER, (_match, name: string) => {
      const value = checked.get(name);
      if (value === undefined) undeclared ??= name;
      return value ?? '';
    });
    if (undeclared !== undefined) return { problem: `The command's argv uses "{${undeclared}}", which is not a declared argument` };
    argv.push(filled);
  }
  return { argv };
}

/** Why a value is refused for an argument, or undefined. */
export function argumentProblem(arg: CommandArg, value: string): string | undefined {
  const pattern = anchoredPattern(arg.pattern);
  if (!pattern) return `Argument "${arg.name}" has an invalid pattern in the targets config`;
  const shown = showValue(value);
  if (value.includes('\0')) return `Argument "${arg.name}" contains a NUL byte`;
  if (value.startsWith('-') && !allowsLeadingDash(arg.pattern)) {
    return `Argument "${arg.name}" = ${shown} may not start with "-" (it would be read as an option)`;
  }
  if (!pattern.test(value)) return `Argument "${arg.name}" = ${shown} does not match ${arg.pattern}`;
  return undefined;
}

/**
 * The pattern must match the whole value. It is compiled alone first, so a pattern such as `a)|(.*`
 * cannot close our anchoring group and escape it.
 */
function anchoredPattern(source: string): RegExp | undefined {
  try {
    new RegExp(source);
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}

/** Only a pattern that itself starts with a literal dash (`-…` or `\-…`, optionally after `^`) allows one. */
function allowsLeadingDash(source: string): boolean {
  const body = source.startsWith('^') ? source.slice(1) : source;
  return body.startsWith('-') || body.startsWith('\\-');
}

function showValue(value: string): string {
  const json = JSON.stringify(value);
  return json.length > SHOWN_VALUE_CHARS ? `${json.slice(0, SHOWN_VALUE_CHARS)}…` : json;
}

const PLAIN_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** A command line for people to read, POSIX-quoted so it shows the exact argv (nothing runs it through a shell). */
export function formatCommandLine(program: string, argv: readonly string[]): string {
  return [program, ...argv].map((word) => (PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

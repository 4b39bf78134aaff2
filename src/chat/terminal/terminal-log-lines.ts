import type { DestinationStream } from 'pino';

/** pino's numeric levels, as a person reads them. */
const LEVEL_WORD: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };
/** Fields every line has, or that say nothing to a person at a terminal. */
const SKIPPED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err']);
const MAX_LINE = 240;

function shortValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 59)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length <= 3 && value.every((v) => typeof v === 'string') ? value.join(',') : `[${value.length}]`;
  return undefined;
}

/** One JSON log line as one short line: `warning: ENCRYPTION_KEY is not set: … (columns=…)`. */
export function terminalLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = typeof entry.level === 'number' ? (LEVEL_WORD[entry.level] ?? String(entry.level)) : 'log';
  const error = entry.err as { message?: unknown } | undefined;
  const message = [entry.msg, typeof error?.message === 'string' ? error.message : undefined].filter((part) => typeof part === 'string' && part).join(': ');
  const extras = Object.entries(entry)
    .filter(([key]) => !SKIPPED.has(key))
    .flatMap(([key, value]) => {
      const short = shortValue(value);
      return short === undefined ? [] : [`${key}=${short}`];
    });
  const line = `${level}: ${message}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

/**
 * Where logs go when stderr is a person's terminal (the console chat shares it): short lines instead
 * of JSON. Redirected (`2>bot.log`, a container, systemd), logs stay JSON for the tools that read them.
 */
export function terminalLogDestination(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line.trim()) out.write(`${terminalLogLine(line)}\n`);
    },
  };
}

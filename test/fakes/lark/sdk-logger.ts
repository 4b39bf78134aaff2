import type { Logger } from '@larksuiteoapi/node-sdk';

/** Keeps the SDK's log lines (it prints to the console by default) so a failing test can show them. */
export interface RecordingSdkLogger extends Logger {
  lines: string[];
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return Object.prototype.toString.call(part);
  }
}

function render(parts: unknown[]): string {
  return parts.flat().map(describe).join(' ');
}

export function recordingSdkLogger(): RecordingSdkLogger {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...parts: unknown[]): void => {
      lines.push(`[${level}] ${render(parts)}`);
    };
  return { lines, error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug'), trace: record('trace') };
}

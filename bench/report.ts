import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface Figure {
  figure: string;
  value: string;
  baseline: string;
  target: string;
  /** Undefined for figures reported without a target. */
  pass?: boolean;
}

const HEADER: Figure = { figure: 'figure', value: 'value', baseline: 'baseline (same run)', target: 'target', pass: undefined };

function verdict(f: Figure): string {
  if (f === HEADER) return 'result';
  return f.pass === undefined ? '' : f.pass ? 'pass' : 'FAIL';
}

export function formatTable(figures: Figure[]): string {
  const rows = [HEADER, ...figures].map((f) => [f.figure, f.value, f.baseline, f.target, verdict(f)]);
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n') + '\n';
}

/** Writes bench/results/<timestamp>.json and returns its path. */
export async function writeResults(report: unknown, startedAt: Date): Promise<string> {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const path = `${dir}${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

export const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
export const rate = (x: number, unit: string) => `${x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')} ${unit}/s`;
export const count = (x: number) => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(1));

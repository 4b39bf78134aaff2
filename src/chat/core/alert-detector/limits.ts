/** Bounds on untrusted input, inside the AlertSchema limits, so parsing stays cheap and valid. */
export const LIMITS = {
  flatText: 100_000,
  line: 5_000,
  raw: 20_000,
  title: 500,
  description: 10_000,
  service: 200,
  instance: 300,
  labelKey: 200,
  labelValue: 2_000,
  labels: 50,
  alerts: 50,
  jsonDepth: 32,
} as const;

export function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Values templates print when a field is missing; they mean "not shown". */
const PLACEHOLDERS = new Set(['', '<no value>', 'n/a', 'na', 'null', 'nil', '<nil>', 'undefined', '-', '--', '无']);

export function isShown(value: string | undefined): value is string {
  return value !== undefined && !PLACEHOLDERS.has(value.trim().toLowerCase());
}

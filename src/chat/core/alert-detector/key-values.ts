import { rolesOf } from './field-roles';

/** One `key: value` line (`告警级别：2`, `**Severity**: High`, `- Alert Name: X`, `🕘 开始时间: …`). */
export interface Field {
  readonly key: string;
  readonly normKey: string;
  readonly value: string;
  /** Index of the line in the block it was read from. */
  readonly line: number;
  /** A zone named in the key, as in `Time (Asia/Shanghai)`. */
  readonly zoneHint?: string;
}

export interface ParsedBlock {
  readonly lines: readonly string[];
  readonly fields: readonly Field[];
  /** Lines that are not part of a field: titles, banners, descriptions. */
  readonly freeLines: readonly string[];
}

const KEY_VALUE = /^(?:[-•]\s+)?([^:：]{1,60})[:：][ \t]*(.*)$/u;
const LEADING_EMOJI = /^(?:[\p{Extended_Pictographic}\u200d\ufe0f\u20e3]|\p{Emoji_Modifier})+\s*/u;
const KEY_SHAPE = /^[@_\p{L}][\p{L}\p{N}\p{M}_ .()/@#-]*$/u;

export function parseBlock(lines: readonly string[]): ParsedBlock {
  const fields: Field[] = [];
  const used = new Set<number>();
  for (let index = 0; index < lines.length; index += 1) {
    const field = fieldOf(lines[index] ?? '', index);
    if (!field) continue;
    used.add(index);
    const next = lines[index + 1];
    // `**告警名称**:\nX` (card fields): a known key with its value on the next line.
    if (!field.value && rolesOf(field.normKey).length > 0 && next && next !== '---' && !fieldOf(next, index + 1)) {
      fields.push({ ...field, value: next });
      used.add(index + 1);
      index += 1;
      continue;
    }
    fields.push(field);
  }
  const freeLines = lines.filter((line, index) => !used.has(index) && line !== '' && line !== '---');
  return { lines, fields, freeLines };
}

export function fieldOf(line: string, index: number): Field | undefined {
  const match = KEY_VALUE.exec(line);
  if (!match) return undefined;
  const key = (match[1] ?? '').replace(LEADING_EMOJI, '').trim();
  const value = (match[2] ?? '').trim();
  if (!isKey(key)) return undefined;
  // `http://…`, and `started at 14:21:07` where the colon belongs to a time.
  if (value.startsWith('//') || (/\d$/.test(key) && /^\d/.test(value))) return undefined;
  const zone = /\(([^()]*)\)/.exec(key)?.[1]?.trim();
  const normKey = key
    .replace(/\([^()]*\)/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
  if (!normKey) return undefined;
  return { key, normKey, value, line: index, ...(zone ? { zoneHint: zone } : {}) };
}

function isKey(key: string): boolean {
  if (!key || key.length > 40 || !KEY_SHAPE.test(key)) return false;
  if (key.split(/\s+/).length > 5) return false;
  const opens = key.split('(').length;
  return opens === key.split(')').length && opens <= 2;
}

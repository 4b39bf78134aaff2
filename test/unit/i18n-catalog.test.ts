import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { CATALOG, CATALOG_PARTS, ENGLISH_UTC, I18n, LANGUAGES, type MessageKey } from '../../src/i18n';

/** The placeholders a message takes, by name (Chinese may print a count plainly where English needs a plural). */
function placeholders(message: string, language: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: unknown[]): void => {
    for (const node of nodes as { type: number; value?: string; options?: Record<string, { value: unknown[] }> }[]) {
      if (typeof node.value === 'string' && node.type !== 0 && node.type !== 7) names.add(node.value);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, language, undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

const SAMPLE = { n: 2, at: new Date('2026-12-07T06:05:00Z') };
const ENGLISH_WORDS = /[A-Za-z]{3,}[^{}]*[A-Za-z]{3,}/;
/** Messages that read the same in both on purpose: names, syntax people type, examples. */
const SAME_ON_PURPOSE = new Set(['cmd.args.lang', 'console.language.en', 'console.statechart.download', 'console.silences.matchers']);

describe('the message catalog', () => {
  const parts = Object.entries(CATALOG_PARTS) as [string, Record<string, Record<string, string>>][];

  it('has each key in one part only, every part with its own key prefix', () => {
    const total = parts.reduce((sum, [, table]) => sum + Object.keys(table).length, 0);
    expect(Object.keys(CATALOG)).toHaveLength(total);
    const owner = new Map<string, string>();
    for (const [part, table] of parts) {
      for (const key of Object.keys(table)) {
        const prefix = key.split('.')[0] ?? key;
        expect(owner.get(prefix) ?? part, `prefix ${prefix}. is used by ${owner.get(prefix)} and ${part}`).toBe(part);
        owner.set(prefix, part);
      }
    }
  });

  it('parses every message in both languages, with the same placeholders', () => {
    for (const [key, byLanguage] of Object.entries(CATALOG) as [string, Record<string, string>][]) {
      const expected = placeholders(byLanguage.en ?? '', 'en');
      for (const language of LANGUAGES) {
        const message = byLanguage[language];
        expect(message, `${key} has no ${language}`).toBeTypeOf('string');
        expect(placeholders(message ?? '', language), `${key} (${language}) takes other placeholders than English`).toEqual(expected);
      }
    }
  });

  it('has Chinese that is not the English copied', () => {
    const copied = Object.entries(CATALOG as Record<string, Record<string, string>>)
      .filter(([key, m]) => !SAME_ON_PURPOSE.has(key) && m['zh-CN'] === m.en && ENGLISH_WORDS.test((m.en ?? '').replace(/\{[^{}]*\}/g, '')))
      .map(([key]) => key);
    expect(copied).toEqual([]);
  });

  it('formats times in TIMEZONE and counts with plurals', () => {
    const shanghai = new I18n('zh-CN', 'Asia/Shanghai');
    expect(shanghai.translator().when(SAMPLE.at)).toContain('14:05');
    expect(ENGLISH_UTC.translator().when(SAMPLE.at)).toContain('06:05');
    expect(shanghai.translator('en').relative(new Date(SAMPLE.at.getTime() - 180_000), SAMPLE.at)).toBe('3 minutes ago');
    expect(shanghai.translator().relative(new Date(SAMPLE.at.getTime() - 180_000), SAMPLE.at)).toBe('3分钟前');
  });

  it('formats every message with sample values without throwing', () => {
    const valueFor = (name: string): string | number | Date => (name === 'at' || name.endsWith('At') ? SAMPLE.at : name === 'n' || name.startsWith('n') ? 2 : 'x');
    for (const key of Object.keys(CATALOG) as MessageKey[]) {
      for (const language of LANGUAGES) {
        const names = placeholders(CATALOG[key][language], language);
        const sample = Object.fromEntries(names.map((name) => [name, valueFor(name)]));
        expect(() => new I18n(language, 'UTC').translator().t(key, sample), `${key} (${language})`).not.toThrow();
      }
    }
  });
});

import { IntlMessageFormat, type Formats } from 'intl-messageformat';
import { CATALOG, type MessageKey } from './catalog';
import type { Language, Localized } from './languages';

/** What a message's placeholders take: text and numbers, and dates for `{at, time, short}` / `{at, date, when}`. */
export type MessageValues = Record<string, string | number | Date>;

/** Date formats every message may use; all in the configured time zone (TIMEZONE), never the server's. */
export function formatsIn(timeZone: string): Partial<Formats> {
  const clock = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone } as const;
  return {
    time: { short: clock, medium: { ...clock, second: '2-digit' } },
    date: {
      short: { month: 'numeric', day: 'numeric', timeZone },
      /** "12月7日 14:05" / "Dec 7, 14:05": a moment people read at a glance. */
      when: { month: 'short', day: 'numeric', ...clock },
      /** With the year and zone, for times far off or in records. */
      full: { year: 'numeric', month: 'short', day: 'numeric', ...clock, timeZoneName: 'short' },
    },
  };
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
];

/**
 * Messages of one language in one time zone, from the catalog (ICU MessageFormat through intl-messageformat).
 * Compiled messages are cached; a translator is cheap to keep and safe to share.
 */
export class Translator {
  private readonly compiled = new Map<string, IntlMessageFormat>();
  private readonly formats: Partial<Formats>;

  constructor(
    readonly language: Language,
    readonly timeZone: string,
  ) {
    this.formats = formatsIn(timeZone);
  }

  /** The catalog's message in this language. */
  t(key: MessageKey, values?: MessageValues): string {
    return this.format(`k:${key}`, CATALOG[key][this.language], values);
  }

  /** A label kept next to the chart (machines/incident.labels.ts), with its placeholders filled. */
  label(label: Localized<string>, values?: MessageValues): string {
    return this.format(`l:${label.en}`, label[this.language], values);
  }

  /** "Dec 7, 14:05" / "12月7日 14:05" in TIMEZONE. */
  when(at: Date | string): string {
    return this.t('time.when', { at: new Date(at) });
  }

  /** "3 minutes ago" / "3 分钟前", "in 2 hours" / "2 小时后"; past a month, the date. */
  relative(at: Date | string, now = new Date()): string {
    const date = new Date(at);
    let amount = (date.getTime() - now.getTime()) / 1000;
    const relative = new Intl.RelativeTimeFormat(this.language, { numeric: 'auto' });
    for (const [unit, size] of RELATIVE_STEPS) {
      if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
      amount /= size;
    }
    return this.when(date);
  }

  /** "a, b and c" / "a、b和c". */
  list(items: readonly string[]): string {
    return new Intl.ListFormat(this.language, { type: 'conjunction' }).format(items);
  }

  private format(cacheKey: string, message: string, values?: MessageValues): string {
    let compiled = this.compiled.get(cacheKey);
    if (!compiled) {
      compiled = new IntlMessageFormat(message, this.language, this.formats, { ignoreTag: true });
      this.compiled.set(cacheKey, compiled);
    }
    const out = compiled.format(values);
    return typeof out === 'string' ? out : String(out);
  }
}

import { BUILTIN_RULES } from './builtin-rules';
import { scrubDeep } from './scrub-deep';
import { REDACTED } from './secret-keys';
import { compileUserPattern, userPatternMatches } from './user-pattern';
import type { UserPattern } from './user-pattern';

export { REDACTED } from './secret-keys';

/** What the rest of the bot needs of a scrubber: plugin contexts and the chat decorator take this. */
export interface Scrubber {
  scrubText(text: string): string;
  /** A scrubbed deep copy: strings scrubbed, values under secret-named keys replaced. */
  scrubValue(value: unknown): unknown;
}

export interface SecretScrubberOptions {
  /**
   * Extra patterns (REDACT_PATTERNS), run on RE2. A named group `secret` limits the redaction to that
   * group. A RegExp is compiled for RE2 (and refused, throwing, when RE2 cannot run it).
   */
  patterns?: readonly (UserPattern | RegExp)[];
  /** Exact secret values, redacted wherever they appear; values shorter than 6 characters are ignored. */
  secrets?: Iterable<string>;
}

/** Shorter values would redact ordinary words and numbers everywhere. */
const MIN_SECRET_LENGTH = 6;

/**
 * Invisible characters (zero-width space/joiners, word joiner, BOM, soft hyphen): inside a key name
 * (`pass\u200bword=`) they would hide it from every rule, and they show nothing to a reader. NUL
 * too: Postgres cannot store it, so one NUL failed the whole write it was part of.
 */
const INVISIBLE = /[\u0000\u00ad\u200b-\u200d\u2060\ufeff]/g;

/**
 * Removes secrets from text and values before they reach the model, the chat or the logs. Known values
 * first (the surest), then configured patterns, then the built-in rules.
 */
export class SecretScrubber implements Scrubber {
  private readonly patterns: UserPattern[];
  private readonly secrets = new Set<string>();
  private knownValues: RegExp | undefined;

  constructor(options: SecretScrubberOptions = {}) {
    this.patterns = (options.patterns ?? []).map((p) => (p instanceof RegExp ? compileUserPattern(p.source, p.flags) : p));
    this.addSecrets(options.secrets ?? []);
  }

  /** Secrets learnt after start-up (targets, say) for a scrubber the logger already holds. */
  addSecrets(values: Iterable<string>): void {
    for (const value of values) {
      if (value.trim().length < MIN_SECRET_LENGTH) continue;
      // The value as it appears in a URL or inside JSON too.
      for (const variant of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) this.secrets.add(variant);
    }
    // Longest first, so a secret containing another is replaced whole.
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
    this.knownValues = sorted.length ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  scrubText(text: string): string {
    const visible = text.replace(INVISIBLE, '');
    let out = this.knownValues ? visible.replace(this.knownValues, REDACTED) : visible;
    for (const pattern of this.patterns) out = replaceConfigured(out, pattern);
    for (const rule of BUILTIN_RULES) out = rule(out);
    return out;
  }

  scrubValue(value: unknown): unknown {
    return scrubDeep(value, (text) => this.scrubText(text));
  }
}

/** The whole match, or only its `secret` group when the pattern names one (to keep the context). */
function replaceConfigured(text: string, pattern: UserPattern): string {
  let out = '';
  let from = 0;
  for (const match of userPatternMatches(pattern, text)) {
    const { start, end } = match.secret ?? match;
    out += `${text.slice(from, start)}${REDACTED}`;
    from = end;
  }
  return out + text.slice(from);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

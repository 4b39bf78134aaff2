import { BUILTIN_RULES } from './builtin-rules';
import { scrubDeep } from './scrub-deep';
import { REDACTED } from './secret-keys';

export { REDACTED } from './secret-keys';

/** What the rest of the bot needs of a scrubber: plugin contexts and the chat decorator take this. */
export interface Scrubber {
  scrubText(text: string): string;
  /** A scrubbed deep copy: strings scrubbed, values under secret-named keys replaced. */
  scrubValue(value: unknown): unknown;
}

export interface SecretScrubberOptions {
  /** Extra patterns (REDACT_PATTERNS). A named group `secret` limits the redaction to that group. */
  patterns?: readonly RegExp[];
  /** Exact secret values, redacted wherever they appear; values shorter than 6 characters are ignored. */
  secrets?: Iterable<string>;
}

/** Shorter values would redact ordinary words and numbers everywhere. */
const MIN_SECRET_LENGTH = 6;

/**
 * Removes secrets from text and values before they reach the model, the chat or the logs. Known values
 * first (the surest), then configured patterns, then the built-in rules.
 */
export class SecretScrubber implements Scrubber {
  private readonly patterns: RegExp[];
  private readonly secrets = new Set<string>();
  private knownValues: RegExp | undefined;

  constructor(options: SecretScrubberOptions = {}) {
    // Own global copies: a caller's RegExp keeps its lastIndex, and sticky/global flags are ours to set.
    this.patterns = (options.patterns ?? []).map((p) => new RegExp(p.source, `${p.flags.replace(/[gyd]/g, '')}gd`));
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
    let out = this.knownValues ? text.replace(this.knownValues, REDACTED) : text;
    for (const pattern of this.patterns) out = replaceConfigured(out, pattern);
    for (const rule of BUILTIN_RULES) out = rule(out);
    return out;
  }

  scrubValue(value: unknown): unknown {
    return scrubDeep(value, (text) => this.scrubText(text));
  }
}

/** The whole match, or only its `secret` group when the pattern names one (to keep the context). */
function replaceConfigured(text: string, pattern: RegExp): string {
  let out = '';
  let from = 0;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    const [start, end] = match.indices?.groups?.secret ?? [match.index, match.index + match[0].length];
    out += `${text.slice(from, start)}${REDACTED}`;
    from = end;
    // Continue after the whole match, not only the group, so nothing inside it is matched again.
    pattern.lastIndex = match.index + match[0].length;
    out += text.slice(from, pattern.lastIndex);
    from = pattern.lastIndex;
  }
  return out + text.slice(from);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

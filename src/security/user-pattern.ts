import { RE2JS } from 're2js';

/**
 * A pattern an operator wrote (REDACT_PATTERNS, alert templates), run by RE2, whose time is linear in
 * the text whatever the pattern: untrusted text (alerts, chat, plugin output) never meets a
 * backtracking engine through configuration. What RE2 cannot run in linear time (backreferences,
 * lookahead, lookbehind with captures) is refused at start-up instead.
 */
export interface UserPattern {
  /** As written, for messages. */
  readonly source: string;
  readonly flags: string;
  readonly re2: RE2JS;
}

/** The supported JS flags; `g` and `y` say nothing to a matcher that always scans the whole text. */
const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, g: 0, y: 0, d: 0, u: 0 };

export class UnsafePatternError extends Error {
  override name = 'UnsafePatternError';
}

/** Compiles `source` (JS regex syntax) for RE2, or throws an UnsafePatternError saying why it cannot run. */
export function compileUserPattern(source: string, flags = ''): UserPattern {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAG_BITS[flag];
    if (bit === undefined) throw new UnsafePatternError(`unsupported flag "${flag}" (use i, m or s)`);
    bits |= bit;
  }
  let re2: RE2JS;
  try {
    const translated = RE2JS.translateRegExp(source);
    re2 = RE2JS.compile(translated, bits | (/\(\?<[=!]/.test(translated) ? RE2JS.LOOKBEHINDS : 0));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsafePatternError(
      `${reason} (patterns run on RE2 so that no input can stall the bot: backreferences and lookahead are not supported, repeat counts stop at 1000)`,
    );
  }
  if (re2.test('')) throw new UnsafePatternError('it matches empty text');
  return { source, flags, re2 };
}

/** The compiled pattern, or the reason it is refused. */
export function tryCompileUserPattern(source: string, flags = ''): UserPattern | string {
  try {
    return compileUserPattern(source, flags);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Each match of `pattern` in `text`: its span, and that of its `secret` group when it names one and took part. */
export function* userPatternMatches(pattern: UserPattern, text: string): Generator<{ start: number; end: number; secret?: { start: number; end: number } }> {
  const matcher = pattern.re2.matcher(text);
  const hasSecret = 'secret' in pattern.re2.namedGroups();
  while (matcher.find()) {
    const start = matcher.start();
    const end = matcher.end();
    const secretStart = hasSecret ? matcher.start('secret') : -1;
    yield secretStart >= 0 ? { start, end, secret: { start: secretStart, end: matcher.end('secret') } } : { start, end };
  }
}

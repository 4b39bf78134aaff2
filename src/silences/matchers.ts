/**
 * Alertmanager-style matchers: `alertname=KubeNodeNotReady service=~"checkout.*" env!=dev team!~"a|b"`.
 * Read by a hand-written scanner (one pass, no backtracking): the text is typed by people and may be
 * anything.
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** Bad matcher text: the message says what and where; nothing is changed. */
export class SilenceInputError extends Error {
  override name = 'SilenceInputError';
}

export const MAX_MATCHERS = 20;
const MAX_VALUE = 1_000;
const MAX_NAME = 100;

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9');
}
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
/** Separators between matchers: spaces, and the commas/braces of `{a="b", c="d"}`. */
function isSeparator(c: string): boolean {
  return isSpace(c) || c === ',';
}

interface Scan {
  matchers: Matcher[];
  /** Where the text after the last matcher starts. */
  rest: number;
}

/**
 * Reads matchers from the start of `text` and stops at the first word that is not one (the duration of
 * `/silence`, say). Throws SilenceInputError for a word that starts like a matcher but is malformed.
 */
export function scanMatchers(text: string): Scan {
  const matchers: Matcher[] = [];
  let i = 0;
  let braced = false;
  for (;;) {
    while (i < text.length && isSeparator(text[i]!)) i++;
    if (!braced && matchers.length === 0 && text[i] === '{') {
      braced = true;
      i++;
      continue;
    }
    if (braced && text[i] === '}') return { matchers, rest: i + 1 };
    if (i >= text.length || !isNameStart(text[i]!)) break;
    const start = i;
    while (i < text.length && isNameChar(text[i]!) && i - start <= MAX_NAME) i++;
    const name = text.slice(start, i);
    const op = readOp(text, i);
    if (!op) {
      if (i < text.length && !isSpace(text[i]!)) throw new SilenceInputError(`"${preview(text, start)}" is not a matcher: write name=value, name!=value, name=~regex or name!~regex.`);
      i = start; // a plain word (e.g. the reason): matchers end here
      break;
    }
    if (name.length > MAX_NAME) throw new SilenceInputError(`Label name too long (at most ${MAX_NAME} characters).`);
    i += op.length;
    const read = text[i] === '"' ? readQuoted(text, i) : readBare(text, i, braced);
    if (read.value.length > MAX_VALUE) throw new SilenceInputError(`The value of ${name} is too long (at most ${MAX_VALUE} characters).`);
    matchers.push({ name, op, value: read.value });
    if (matchers.length > MAX_MATCHERS) throw new SilenceInputError(`At most ${MAX_MATCHERS} matchers per silence.`);
    i = read.end;
  }
  if (braced) throw new SilenceInputError('Missing "}" after the matchers.');
  return { matchers, rest: i };
}

/** The whole text as matchers (the console's form field): nothing else may follow. */
export function parseMatchers(text: string): Matcher[] {
  const { matchers, rest } = scanMatchers(text);
  if (text.slice(rest).trim()) throw new SilenceInputError(`"${preview(text, rest)}" is not a matcher: write name=value, name!=value, name=~regex or name!~regex.`);
  if (matchers.length === 0) throw new SilenceInputError('Give at least one matcher, e.g. alertname=KubeNodeNotReady service=~"checkout.*".');
  return matchers;
}

function readOp(text: string, i: number): MatchOp | null {
  const two = text.slice(i, i + 2);
  if (two === '=~' || two === '!~' || two === '!=') return two;
  return text[i] === '=' ? '=' : null;
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      const next = text[++i]!;
      value += next === 'n' ? '\n' : next;
    } else {
      value += c;
    }
    if (value.length > MAX_VALUE) break;
  }
  throw new SilenceInputError(value.length > MAX_VALUE ? `A quoted value is too long (at most ${MAX_VALUE} characters).` : 'A quoted value is missing its closing ".');
}

function readBare(text: string, start: number, braced: boolean): { value: string; end: number } {
  let i = start;
  while (i < text.length && !isSeparator(text[i]!) && !(braced && text[i] === '}')) i++;
  if (text[i - 1] === '"' || text.slice(start, i).includes('"')) throw new SilenceInputError('Quote the whole value: name="some value".');
  return { value: text.slice(start, i), end: i };
}

function preview(text: string, at: number): string {
  let end = at;
  while (end < text.length && !isSpace(text[end]!) && end - at < 40) end++;
  return text.slice(at, end);
}

/** Matchers as typed, normalised: every value quoted, so the text parses back to the same matchers. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(' ');
}

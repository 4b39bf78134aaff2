import { commandLines } from './command-line-rules';
import { redactPemBlocks } from './pem';
import { isSecretKey, REDACTED } from './secret-keys';
import { tokenFormats } from './token-formats';

/**
 * The built-in rules, applied in order. Each keeps the context around a secret (key names, schemes,
 * user names, hosts) so the text stays useful for diagnosis. Regexes here avoid nested quantifiers and
 * start long runs only after a lookbehind, so each pass is linear in the input.
 */
export type Rule = (text: string) => string;

const isRedacted = (value: string): boolean => value.includes(REDACTED);
const hasDigitAndLetter = (value: string): boolean => /\d/.test(value) && /[A-Za-z]/.test(value);

/**
 * `postgres://user:pass@host` → `postgres://user:[redacted]@host`; also `redis://:pass@`, `https://u:p@`.
 * The password may hold `@`, `/` or `#` unescaped (generated passwords do): it runs to the first `@`
 * followed by something host-like. Both runs are bounded so a long line without a host stays linear.
 */
const URL_CREDENTIALS =
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)([^\s:/@?#"'<>\\]{0,256}):([^\s"'<>\\`]{1,256}?)@(?=[A-Za-z0-9.[\]_-]{1,253}(?::\d{1,5})?(?:[/?#\s"'<>,;)\]}]|$))/g;
const urlCredentials: Rule = (text) =>
  text.replace(URL_CREDENTIALS, (match, scheme: string, user: string, password: string) =>
    isRedacted(password) ? match : `${scheme}${user}:${REDACTED}@`,
  );

/** Incoming-webhook URLs carry their secret in the path. */
const WEBHOOK_PATH = /(hooks\.slack\.com\/services\/|\/open-apis\/bot\/v2\/hook\/)[A-Za-z0-9/_-]+/g;
const webhookPaths: Rule = (text) => text.replace(WEBHOOK_PATH, `$1${REDACTED}`);

/**
 * `Bearer <token>`, `Token <token>` and `Basic <base64>`. A Bearer or Token value must look like a
 * token (a digit or a symbol), so prose such as "missing Bearer authentication" survives; a Basic
 * value must decode to `user:pass`.
 */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)([ \t]+)([\w.~+/=-]{6,})/gi;
const authSchemes: Rule = (text) =>
  text.replace(AUTH_SCHEME, (match, scheme: string, space: string, value: string) => {
    const kind = scheme.toLowerCase();
    // "Token" is also an English word: its value must hold a digit and a letter ("Token refresh-failed" survives).
    const looksLikeToken = kind === 'token' ? hasDigitAndLetter(value) : /[\d._~+/=-]/.test(value);
    const secret = kind === 'basic' ? isBasicCredential(value) : value.length >= 8 && looksLikeToken;
    return secret ? `${scheme}${space}${REDACTED}` : match;
  });

function isBasicCredential(value: string): boolean {
  return /^[\x20-\x7e]*:[\x20-\x7e]*$/.test(Buffer.from(value, 'base64').toString('latin1'));
}

/**
 * `key=value`, `key: value`, `"key": "value"`, `key => value`, also inside JSON that was itself
 * stringified (`\"key\":\"value\"`). Any key is matched; only secret-ish ones have their value read
 * and replaced, which is one regex instead of a list of key spellings. After any other key the scan
 * goes on from its value, so `"note": "api_key=…"` is caught inside. The value keeps its quotes and
 * any auth scheme; quoted values are bounded, so an unclosed quote costs at most 4 KB of scanning, and
 * an object or array value (`"credentials": {`) is left for its own keys.
 */
const KEY = /(?<!\w)(\\?["']?)([A-Za-z_][\w.-]{0,80})(\\?["']?)([ \t]*(?:=>|:=|[:=])[ \t]*)/g;
const VALUE =
  /\\"(?:[^\\\r\n]|\\[^"\r\n]){0,4096}\\"|"(?:[^"\\\r\n]|\\.){0,4096}"|'(?:[^'\\\r\n]|\\.){0,4096}'|(?:Bearer|Basic|Token|Digest)[ \t]+[^\s"'&,;<>\\]+|[^\s"'&,;<>\\{[][^\s"'&,;<>\\]*/y;
const HARMLESS_VALUES = new Set(['', 'null', 'none', 'nil', 'true', 'false', 'undefined', '""', "''", '\\"\\"']);

const keyValues: Rule = (text) => {
  let out = '';
  let from = 0;
  KEY.lastIndex = 0;
  for (let match = KEY.exec(text); match; match = KEY.exec(text)) {
    const [pair, open = '', key = '', close = '', separator = ''] = match;
    if (!isSecretKey(key)) continue;
    VALUE.lastIndex = match.index + pair.length;
    const value = VALUE.exec(text)?.[0];
    if (value === undefined) continue;
    KEY.lastIndex = VALUE.lastIndex;
    if (isRedacted(value) || HARMLESS_VALUES.has(value.toLowerCase())) continue;
    out += `${text.slice(from, match.index)}${open}${key}${close}${separator}${redactValue(value, close)}`;
    from = VALUE.lastIndex;
  }
  return out + text.slice(from);
};

/** A bare value under a JSON key (`"pin": 1234`) is quoted, so JSON output stays parseable. */
function redactValue(value: string, keyQuote: string): string {
  const quote = /^(\\"|"|')/.exec(value)?.[1] ?? (keyQuote.endsWith('"') ? keyQuote : undefined);
  if (quote) return `${quote}${REDACTED}${quote}`;
  const scheme = /^(?:Bearer|Basic|Token|Digest)[ \t]+/.exec(value)?.[0] ?? '';
  return `${scheme}${REDACTED}`;
}

/** `<password>…</password>` in XML config dumps and SOAP faults. */
const XML_ELEMENT = /<([A-Za-z_][\w.:-]{0,80})>([^<]{1,4096})<\/\1>/g;
const xmlElements: Rule = (text) =>
  text.replace(XML_ELEMENT, (match, tag: string, value: string) =>
    isSecretKey(tag.slice(tag.indexOf(':') + 1)) && !isRedacted(value) ? `<${tag}>${REDACTED}</${tag}>` : match,
  );

/** A Cookie header is a list of secrets; `key=value` would stop at the first `;`. */
const COOKIE_HEADER = /\b((?:set-)?cookie[ \t]*:[ \t]*)[^\r\n"\\]+/gi;
const cookieHeaders: Rule = (text) => text.replace(COOKIE_HEADER, `$1${REDACTED}`);

/**
 * A token after a secret-ish word in prose: "using token 3f9a…", "password is hunter2hunter2". Needs
 * a digit and a letter, so an ordinary word after "token" survives.
 */
const AFTER_SECRET_WORD =
  /\b(secret|token|password|passwd|passphrase|api[ _-]?key|access[ _-]?key|secret[ _-]?key|private[ _-]?key|signing[ _-]?key|credentials?)\b([^A-Za-z0-9\r\n[]{1,6}(?:(?:is|was|of|value)[^A-Za-z0-9\r\n[]{1,4})?)([A-Za-z0-9+/_=~!@#$%^&*-]{8,512})/gi;
const afterSecretWords: Rule = (text) =>
  text.replace(AFTER_SECRET_WORD, (match, word: string, gap: string, token: string) =>
    hasDigitAndLetter(token) ? `${word}${gap}${REDACTED}` : match,
  );

/** Order matters: whole structures (PEM, URLs, headers) before key/value pairs, before loose tokens. */
export const BUILTIN_RULES: readonly Rule[] = [
  redactPemBlocks,
  urlCredentials,
  webhookPaths,
  authSchemes,
  cookieHeaders,
  commandLines,
  keyValues,
  xmlElements,
  tokenFormats,
  afterSecretWords,
];

/** The replacement for every secret; context around it (key names, user names, hosts) is kept. */
export const REDACTED = '[redacted]';

/**
 * Names that are secrets on their own. Exact, not suffixes: `pwd` as a suffix would catch `cwd`-like
 * names, and `auth` would catch `oauth_enabled`.
 */
const EXACT = new Set(['pwd', 'pw', 'pass', 'sig', 'auth', 'dsn', 'sessionid', 'apikeys', 'secrets', 'passwords', 'encryptionoldkeys']);

/** Short words that are a secret as the last part of a longer name (`db_pass`, `adminPw`), not as a suffix (`bypass`). */
const LAST_WORDS = new Set(['pass', 'pw', 'pwd', 'sig']);

/**
 * A name ending in one of these holds a secret: `DB_PASSWORD`, `x-api-key`, `larkVerificationToken`.
 * `token` as a suffix leaves counters alone (`max_tokens`, `tokenCount`, `inputTokens`).
 */
const SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'encryptkey',
  'encryptionkey',
  'signingkey',
  'masterkey',
  'sessionkey',
  'sshkey',
  'authkey',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  // Azure storage (`AccountKey=`), AWS presigned URLs (`X-Amz-Signature=`), webhooks' signatures.
  'accountkey',
  'signature',
];

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Case- and separator-insensitive: `apiKey`, `API_KEY` and `api-key` are one name. */
export function isSecretKey(name: string): boolean {
  const normal = normalize(name);
  if (EXACT.has(normal) || SUFFIXES.some((suffix) => normal.endsWith(suffix))) return true;
  // Split into words only when a short word could end it: this runs once per key of every text scrubbed.
  return /(?:pass|pw|pwd|sig)$/.test(normal) && LAST_WORDS.has(lastWord(name));
}

/** `db_pass` → `pass`, `adminPw` → `pw`, `X-Sig` → `sig`. */
function lastWord(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/);
  return (words.at(-1) || words.at(-2) || '').toLowerCase();
}

/** Environment variables whose values are secrets. `PWD` is the shell's working directory, not a password. */
export function isSecretEnvName(name: string): boolean {
  return normalize(name) !== 'pwd' && isSecretKey(name);
}

/**
 * Field names pino censors by path, before and independently of the scrubber. Paths are exact and
 * case-sensitive, so the common spellings are listed.
 */
const LOG_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'privateKey',
  'private_key',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'credentials',
  'set-cookie',
  'x-api-key',
];

/** `password`, `*.password` and `*.*.password` for each key: top level and two levels down. */
export const LOG_REDACT_PATHS: string[] = LOG_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const join = (prefix: string) => (segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`);
  return [segment, join('*'), join('*.*')];
});

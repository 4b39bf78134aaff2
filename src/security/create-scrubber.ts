import { SecretScrubber } from './redact';
import type { SecretScrubberOptions } from './redact';
import { isSecretEnvName, isSecretKey } from './secret-keys';

/** The parsed configuration as the scrubber reads it: every setting, the environment, REDACT_PATTERNS. */
export type ScrubberSettings = Readonly<Record<string, unknown>> & {
  env: Readonly<Record<string, string | undefined>>;
  REDACT_PATTERNS: SecretScrubberOptions['patterns'];
};

/**
 * The bot's scrubber: REDACT_PATTERNS, plus every secret the configuration knows as an exact value:
 * settings named like secrets (LARK_APP_SECRET, API_KEYS, ANTHROPIC_API_KEY, …, whichever are added
 * later), passwords in URL settings (DATABASE_URL), environment variables named like secrets and
 * passwords in URLs kept in the environment; plus `extraSecrets` (e.g. `secretsIn(targets)`).
 */
export function createScrubber(config: ScrubberSettings, extraSecrets: readonly string[] = []): SecretScrubber {
  const { env, ...settings } = config;
  const known = [...secretsIn(settings), ...extraSecrets];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (isSecretEnvName(name)) known.push(value);
    const password = urlPassword(value);
    if (password) known.push(password);
  }
  return new SecretScrubber({ patterns: config.REDACT_PATTERNS, secrets: known });
}

/**
 * Secret values inside a structure such as the loaded targets: strings under secret-named keys (a
 * Kubernetes token, an `Authorization` header, and the token after its scheme) and passwords in URLs.
 */
export function secretsIn(value: unknown): string[] {
  const found: string[] = [];
  const seen = new WeakSet<object>();
  const visit = (item: unknown, key: string | undefined): void => {
    if (typeof item === 'string') {
      if (key !== undefined && isSecretKey(key)) found.push(item, item.replace(/^(?:Bearer|Basic|Token)\s+/i, ''));
      const password = urlPassword(item);
      if (password) found.push(password);
      return;
    }
    if (typeof item !== 'object' || item === null || seen.has(item)) return;
    seen.add(item);
    if (Array.isArray(item)) for (const element of item as unknown[]) visit(element, key);
    else for (const [childKey, child] of Object.entries(item)) visit(child, childKey);
  };
  visit(value, undefined);
  return [...new Set(found)];
}

/** `postgres://app:s3cret@db/x` → `s3cret` (decoded, as the server sees it). */
function urlPassword(text: string | undefined): string | undefined {
  if (!text?.includes('://') || !text.includes('@')) return undefined;
  try {
    const password = new URL(text).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

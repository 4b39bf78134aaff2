import { Redis } from 'ioredis';
import type { Targets } from '../targets';

export type RedisTarget = Targets['redis'][string];
export type RedisOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

const CONNECT_TIMEOUT_MS = 5_000;

export function findRedisTarget(targets: Targets, name: string): RedisTarget | undefined {
  return Object.hasOwn(targets.redis, name) ? targets.redis[name] : undefined;
}

export function unknownRedisTargetSummary(targets: Targets, name: string): string {
  const names = Object.keys(targets.redis);
  const configured = names.length > 0 ? `configured targets: ${names.join(', ')}` : 'no redis targets are configured';
  return `Unknown redis target "${name}"; ${configured}`;
}

/**
 * One short-lived connection per call, without retries or an offline queue, closed on abort: a plugin
 * never sits in a reconnect loop. Connection and reply errors are outcomes; an abort rethrows its reason.
 */
export async function withRedis<T>(target: RedisTarget, signal: AbortSignal, use: (client: Redis) => Promise<T>): Promise<RedisOutcome<T>> {
  signal.throwIfAborted();
  const client = new Redis(target.url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
  });
  let lastError: unknown;
  // Without a listener ioredis prints connection errors to the console.
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  const onAbort = (): void => client.disconnect();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    // ioredis only emits an error when the URL's SELECT fails, then carries on in db 0: select again, and fail loudly.
    if (client.options.db) await client.select(client.options.db);
    return { ok: true, value: await use(client) };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (isReplyError(error)) return { ok: false, reason: error.message };
    if (client.status !== 'ready') return { ok: false, reason: describeRedisFailure(lastError ?? error) };
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    client.disconnect();
  }
}

/** The server answered with an error (WRONGTYPE, NOAUTH, a disabled command …): a result, not a bug. */
export function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

const FAILURE_BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out connecting',
};

export function describeRedisFailure(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const known = typeof code === 'string' ? FAILURE_BY_CODE[code] : undefined;
  return known ?? (error instanceof Error ? error.message : String(error));
}

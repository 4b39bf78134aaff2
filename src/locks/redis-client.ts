import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * One ioredis connection for shared state (REDIS_URL). Commands queue while it (re)connects and fail
 * after a few retries instead of hanging, so a Redis outage surfaces as an error the caller handles.
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  client.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
  return client;
}

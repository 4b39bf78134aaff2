import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import redisInfo, { redactCommand } from '../../plugins/diagnostic/redis-info';
import redisDeleteKeys, { literalPrefix } from '../../plugins/remediation/redis-delete-keys';
import type { PluginContext } from '../../src/plugins/plugin';
import { runPlugin } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';

/** A database index of its own, and a unique prefix per run, so parallel suites never see our keys. */
const DB = 13;
const REDIS_URL = `redis://127.0.0.1:6379/${DB}`;
const prefix = `ai-fixer-test:${randomUUID().slice(0, 8)}:`;
const logger = pino({ level: 'silent' });

function contextFor(urls: Record<string, string>, signal = new AbortController().signal): PluginContext {
  const redis = Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, { url }]));
  return { signal, logger, targets: TargetsSchema.parse({ redis }) };
}

/** Accepts connections and never answers: a Redis that hangs. */
async function startBlackhole(): Promise<{ port: number; open: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    // Read (and drop) what arrives, so the client's FIN is seen and 'close' fires.
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    open: () => sockets.size,
    close: () => new Promise<void>((resolve) => (sockets.forEach((socket) => socket.destroy()), server.close(() => resolve()))),
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('redis plugins against a real Redis', () => {
  let admin: Redis;
  const ctx = contextFor({ cache: REDIS_URL, down: 'redis://127.0.0.1:1/0', baddb: 'redis://127.0.0.1:6379/99' });

  /** Buffers, so cleanup also removes keys that are not valid UTF-8. */
  const ourKeys = async (sub: string): Promise<Buffer[]> => {
    const found: Buffer[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await admin.scanBuffer(cursor, 'MATCH', `${prefix}${sub}*`, 'COUNT', 1000);
      cursor = next.toString();
      found.push(...keys);
    } while (cursor !== '0');
    return found;
  };

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    const keys = await ourKeys('');
    if (keys.length > 0) await admin.del(...keys);
  });
  afterAll(async () => {
    await admin.quit();
  });

  describe('redis.info', () => {
    it('reports memory, clients, stats, keyspace and replication', async () => {
      await admin.mset(`${prefix}a`, '1', `${prefix}b`, '2');
      const result = await runPlugin(redisInfo, { target: 'cache' }, ctx);
      expect(result.status).toBe('success');
      expect(result.data).toMatchObject({
        target: 'cache',
        server: { version: expect.stringMatching(/^\d+\.\d+/) as unknown },
        memory: { usedBytes: expect.any(Number) as unknown, peakBytes: expect.any(Number) as unknown, maxmemoryPolicy: expect.any(String) as unknown, fragmentationRatio: expect.any(Number) as unknown },
        clients: { connected: expect.any(Number) as unknown, blocked: expect.any(Number) as unknown },
        stats: { opsPerSec: expect.any(Number) as unknown, evictedKeys: expect.any(Number) as unknown, expiredKeys: expect.any(Number) as unknown },
        replication: { role: 'master' },
      });
      const keyspace = result.data?.keyspace as Record<string, { keys: number }>;
      expect(keyspace[`db${DB}`]?.keys).toBeGreaterThanOrEqual(2);
      expect(result.summary).toMatch(/^Redis cache \(\d.*, master\): .* used, .*policy .*clients .*ops\/s/);
    });

    it('shows the latest slowlog entries with values redacted', async () => {
      const [, previous = '10000'] = (await admin.config('GET', 'slowlog-log-slower-than')) as string[];
      await admin.config('SET', 'slowlog-log-slower-than', '0');
      try {
        await admin.set(`${prefix}session`, 'super-secret-value');
        await admin.hset(`${prefix}user`, 'email', 'someone@example.com');
        const result = await runPlugin(redisInfo, { target: 'cache', slowlogCount: 50 }, ctx);
        const entries = result.data?.slowlog as { command: string; durationMs: number; at: string }[];
        expect(entries.length).toBeGreaterThan(2);
        expect(entries.length).toBeLessThanOrEqual(50);
        const commands = entries.map((entry) => entry.command);
        expect(commands).toContain(`SET ${prefix}session …(1 arg redacted)`);
        expect(commands).toContain(`HSET ${prefix}user …(2 args redacted)`);
        expect(commands).toContain('CONFIG SET …(2 args redacted)');
        expect(JSON.stringify(result)).not.toMatch(/super-secret-value|someone@example\.com/);
        expect(entries[0]).toMatchObject({ durationMs: expect.any(Number) as unknown, at: expect.stringMatching(/^\d{4}-/) as unknown });
        expect(result.summary).toMatch(/\d+ slowlog entries, slowest/);
      } finally {
        await admin.config('SET', 'slowlog-log-slower-than', previous);
      }
      expect(await admin.config('GET', 'slowlog-log-slower-than')).toEqual(['slowlog-log-slower-than', previous]);
    });

    it('redacts secrets, values and long keys from commands', () => {
      expect(redactCommand(['get', 'user:1'])).toBe('GET user:1');
      expect(redactCommand(['AUTH', 'admin', 'hunter2'])).toBe('AUTH …(2 args redacted)');
      expect(redactCommand(['config', 'set', 'requirepass', 'hunter2'])).toBe('CONFIG SET …(2 args redacted)');
      expect(redactCommand(['EVAL', 'return redis.call("get", KEYS[1])', '1', 'k'])).toBe('EVAL …(3 args redacted)');
      expect(redactCommand(['SET', `k\n${'x'.repeat(200)}`, 'v'])).toBe(`SET k?${'x'.repeat(78)}… …(1 arg redacted)`);
    });

    it('caps slowlogCount and turns unknown targets and unreachable servers into errors', async () => {
      expect((await runPlugin(redisInfo, { target: 'cache', slowlogCount: 51 }, ctx)).summary).toContain('Invalid arguments for redis.info');
      expect((await runPlugin(redisInfo, { target: 'nope' }, ctx)).summary).toBe('Unknown redis target "nope"; configured targets: cache, down, baddb');
      const down = await runPlugin(redisInfo, { target: 'down' }, ctx);
      expect(down).toMatchObject({ status: 'error', summary: 'Redis down: connection refused', data: { failure: 'connection refused' } });
      const baddb = await runPlugin(redisInfo, { target: 'baddb' }, ctx);
      expect(baddb.status).toBe('error');
      expect(baddb.summary).toContain('DB index is out of range');
    });
  });

  describe('redis.delete_keys', () => {
    const seed = async (sub: string, count: number): Promise<void> => {
      const pipeline = admin.pipeline();
      for (let i = 0; i < count; i += 1) pipeline.set(`${prefix}${sub}${i}`, 'v');
      await pipeline.exec();
    };

    it('plans with a count and sample, and deletes nothing', async () => {
      await seed('cache:', 30);
      const plan = await redisDeleteKeys.dryRun?.({ target: 'cache', pattern: `${prefix}cache:*`, limit: 1000 }, ctx);
      expect(plan).toMatch(new RegExp(`^UNLINK 30 keys matching "${prefix}cache:\\*" on redis cache \\(limit 1000\\), e\\.g\\. ${prefix}cache:\\d+, `));
      const limited = await redisDeleteKeys.dryRun?.({ target: 'cache', pattern: `${prefix}cache:*`, limit: 10 }, ctx);
      expect(limited).toContain('UNLINK the first 10 of more keys');
      expect(await redisDeleteKeys.dryRun?.({ target: 'cache', pattern: `${prefix}none:*`, limit: 10 }, ctx)).toContain('nothing would be deleted');
      expect(await ourKeys('cache:')).toHaveLength(30);
    });

    it('deletes up to the limit with UNLINK, confirms, and is idempotent', async () => {
      await seed('cache:', 30);
      await seed('keep:', 5);
      // Binary-safe: a key that is not valid UTF-8 is deleted too.
      await admin.set(Buffer.concat([Buffer.from(`${prefix}cache:`), Buffer.from([0xff, 0xfe])]), 'v');
      const args = { target: 'cache', pattern: `${prefix}cache:*` };

      const first = await runPlugin(redisDeleteKeys, { ...args, limit: 10 }, ctx);
      expect(first).toMatchObject({ status: 'success', data: { matched: 10, deleted: 10, limitReached: true } });
      expect((first.data?.sample as string[]).length).toBe(10);
      expect(first.summary).toContain('limit 10 reached');
      expect(await ourKeys('cache:')).toHaveLength(21);
      expect(await redisDeleteKeys.confirm?.({ ...args, limit: 10 }, ctx)).toBe('not_applied');

      const rest = await runPlugin(redisDeleteKeys, args, ctx);
      expect(rest).toMatchObject({ status: 'success', data: { matched: 21, deleted: 21, limitReached: false, limit: 1000 } });
      expect(await ourKeys('cache:')).toHaveLength(0);
      expect(await ourKeys('keep:')).toHaveLength(5);
      expect(await redisDeleteKeys.confirm?.({ ...args, limit: 1000 }, ctx)).toBe('applied');

      const again = await runPlugin(redisDeleteKeys, args, ctx);
      expect(again).toMatchObject({ status: 'success', data: { matched: 0, deleted: 0 } });
      expect(again.summary).toContain('nothing to delete');
    });

    it('refuses broad patterns and limits above the hard cap', async () => {
      await seed('cache:', 3);
      for (const pattern of ['*', '**', '', 'ab*', '?abc*', '[a]bc*', 'a\\*', `${prefix}`.slice(0, 2) + '*']) {
        const result = await runPlugin(redisDeleteKeys, { target: 'cache', pattern }, ctx);
        expect(result.status, pattern).toBe('error');
        expect(result.summary, pattern).toContain('Invalid arguments for redis.delete_keys');
      }
      expect((await runPlugin(redisDeleteKeys, { target: 'cache', pattern: `${prefix}*`, limit: 10_001 }, ctx)).status).toBe('error');
      expect(await ourKeys('cache:')).toHaveLength(3);
      expect(literalPrefix('cache:*')).toBe('cache:');
      expect(literalPrefix('a\\*bc*')).toBe('a*bc');
      expect(literalPrefix('abc[de]*')).toBe('abc');
    });

    it('reports unreachable servers: error result, a plan that says so, unknown confirmation', async () => {
      const args = { target: 'down', pattern: 'cache:*' };
      expect(await runPlugin(redisDeleteKeys, args, ctx)).toMatchObject({ status: 'error', data: { deleted: 0, failure: 'connection refused' } });
      expect(await redisDeleteKeys.dryRun?.({ ...args, limit: 10 }, ctx)).toBe('Cannot plan: connection refused');
      expect(await redisDeleteKeys.confirm?.({ ...args, limit: 10 }, ctx)).toBe('unknown');
      expect(await redisDeleteKeys.dryRun?.({ target: 'nope', pattern: 'cache:*', limit: 10 }, ctx)).toContain('Cannot plan: Unknown redis target "nope"');
    });
  });
});

describe('redis plugins against a server that never answers', () => {
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  beforeAll(async () => {
    blackhole = await startBlackhole();
  });
  afterAll(() => blackhole.close());

  it('time out with error results and close their connections', async () => {
    const ctx = contextFor({ hung: `redis://127.0.0.1:${blackhole.port}` });
    const info = await runPlugin({ ...redisInfo, timeoutMs: 200 }, { target: 'hung' }, ctx);
    expect(info).toMatchObject({ status: 'error', summary: 'redis.info timed out after 200 ms' });
    const deletion = await runPlugin({ ...redisDeleteKeys, timeoutMs: 200 }, { target: 'hung', pattern: 'cache:*' }, ctx);
    expect(deletion).toMatchObject({ status: 'error', summary: 'redis.delete_keys timed out after 200 ms' });
    await until(() => blackhole.open() === 0);
    expect(blackhole.open()).toBe(0);
  });

  it("rethrows the caller's own cancellation", async () => {
    const controller = new AbortController();
    const running = runPlugin(redisInfo, { target: 'hung' }, contextFor({ hung: `redis://127.0.0.1:${blackhole.port}` }, controller.signal));
    await until(() => blackhole.open() > 0);
    controller.abort(new Error('operator cancelled'));
    await expect(running).rejects.toThrow('operator cancelled');
    await until(() => blackhole.open() === 0);
    expect(blackhole.open()).toBe(0);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { UsageUnavailableError } from './usage';
import type { UsageClaim, UsageCount, UsageRead, UsageStore } from './usage';

/**
 * Usage windows as Redis sorted sets (member → time added), so every instance counts the same
 * executions. Claims run as one Lua script: check every window, then add to all or none. Times come
 * from the callers' clocks (kept in step by NTP), which lets tests inject one.
 */

// ARGV: now, then per key: windowMs, n, n members. Returns the keys that are full (none: claimed).
const CLAIM = `
local now = tonumber(ARGV[1])
local pos = 2
local plans, full = {}, {}
for i, key in ipairs(KEYS) do
  local window, limit, n = tonumber(ARGV[pos]), tonumber(ARGV[pos + 1]), tonumber(ARGV[pos + 2])
  pos = pos + 3
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count, added, members = redis.call('ZCARD', key), 0, {}
  for j = 1, n do
    local member = ARGV[pos]
    pos = pos + 1
    members[#members + 1] = member
    if not redis.call('ZSCORE', key, member) then added = added + 1 end
  end
  if added > 0 and count + added > limit then full[#full + 1] = key end
  plans[i] = { key, window, members }
end
if #full > 0 then return full end
for _, plan in ipairs(plans) do
  for _, member in ipairs(plan[3]) do redis.call('ZADD', plan[1], 'NX', now, member) end
  redis.call('PEXPIRE', plan[1], plan[2])
end
return {}
`;

// ARGV: now, then per key: windowMs, n, n excluded members. Returns count, newest (or -1) per key.
const READ = `
local now = tonumber(ARGV[1])
local pos = 2
local out = {}
for _, key in ipairs(KEYS) do
  local window, n = tonumber(ARGV[pos]), tonumber(ARGV[pos + 1])
  pos = pos + 2
  local excluded = {}
  for j = 1, n do excluded[ARGV[pos]] = true; pos = pos + 1 end
  local count, newest = 0, -1
  local entries = redis.call('ZRANGEBYSCORE', key, string.format('(%d', now - window), '+inf', 'WITHSCORES')
  for j = 1, #entries, 2 do
    if not excluded[entries[j]] then
      count = count + 1
      newest = math.max(newest, tonumber(entries[j + 1]))
    end
  end
  out[#out + 1] = count
  out[#out + 1] = newest
end
return out
`;

export interface UsageRetry {
  /** How long one read or claim may keep retrying a Redis outage, in all. Default 5 s. */
  budgetMs?: number;
  /** The first pause between attempts; it doubles, up to 1 s. Default 200 ms. */
  firstDelayMs?: number;
}

class RedisTimeout extends Error {}

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// Redis answers these while it loads, fails over or is briefly overloaded.
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY)\b/;

/** A failure of the connection to Redis (or a Redis briefly not serving) that may pass, not a bad script or reply. */
export function isTransientRedisError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    error instanceof RedisTimeout ||
    error.name === 'MaxRetriesPerRequestError' ||
    (code !== undefined && TRANSIENT_CODES.has(code)) ||
    /Connection is closed|Stream isn't writeable|Command timed out/.test(error.message) ||
    TRANSIENT_REPLY.test(error.message)
  );
}

export class RedisUsage implements UsageStore {
  /**
   * @param prefix namespaces the keys; the braces keep them in one cluster slot, as a multi-key script needs.
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'ai-fixer:{policy}:',
    private readonly retry: UsageRetry = {},
  ) {}

  async read(windows: UsageRead[], now: number): Promise<UsageCount[]> {
    if (windows.length === 0) return [];
    const args = windows.flatMap((w) => [w.windowMs, w.exclude.length, ...w.exclude]);
    const keys = windows.map((w) => this.prefix + w.key);
    const reply = (await this.retrying('read', () => this.redis.eval(READ, windows.length, ...keys, now, ...args))) as number[];
    return windows.map((_, i) => {
      const newest = Number(reply[i * 2 + 1]);
      return { count: Number(reply[i * 2]), newest: newest < 0 ? null : newest };
    });
  }

  async claim(claims: UsageClaim[], now: number): Promise<{ ok: boolean; full: string[] }> {
    if (claims.length === 0) return { ok: true, full: [] };
    const args = claims.flatMap((c) => [c.windowMs, c.limit, c.members.length, ...c.members]);
    const keys = claims.map((c) => this.prefix + c.key);
    // Safe to repeat: a claim whose answer was lost finds its members already there and counts them once.
    const full = (await this.retrying('claim', () => this.redis.eval(CLAIM, claims.length, ...keys, now, ...args))) as string[];
    return { ok: full.length === 0, full: full.map((key) => key.slice(this.prefix.length)) };
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  /**
   * Runs `op` until it succeeds, fails for a reason other than an outage, or the retry budget is spent
   * (each attempt is cut off at the budget too: ioredis may hold a command through several reconnects).
   */
  private async retrying(what: string, op: () => Promise<unknown>): Promise<unknown> {
    const { budgetMs = 5_000, firstDelayMs = 200 } = this.retry;
    const started = Date.now();
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await withDeadline(op(), started + budgetMs - Date.now());
      } catch (error) {
        if (!isTransientRedisError(error)) throw error;
        const delayMs = Math.min(1_000, firstDelayMs * 2 ** (attempt - 1));
        if (Date.now() + delayMs >= started + budgetMs) {
          const why = error instanceof Error ? error.message : String(error);
          throw new UsageUnavailableError(`Redis unreachable for the usage ${what} (${attempt} attempt(s) in ${Date.now() - started} ms): ${why}`, { cause: error });
        }
        await sleep(delayMs);
      }
    }
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeout(`Redis did not answer within ${Math.max(0, ms)} ms`)), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

import type { Redis } from 'ioredis';
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

export class RedisUsage implements UsageStore {
  /**
   * @param prefix namespaces the keys; the braces keep them in one cluster slot, as a multi-key script needs.
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'ai-fixer:{policy}:',
  ) {}

  async read(windows: UsageRead[], now: number): Promise<UsageCount[]> {
    if (windows.length === 0) return [];
    const args = windows.flatMap((w) => [w.windowMs, w.exclude.length, ...w.exclude]);
    const reply = (await this.redis.eval(READ, windows.length, ...windows.map((w) => this.prefix + w.key), now, ...args)) as number[];
    return windows.map((_, i) => {
      const newest = Number(reply[i * 2 + 1]);
      return { count: Number(reply[i * 2]), newest: newest < 0 ? null : newest };
    });
  }

  async claim(claims: UsageClaim[], now: number): Promise<{ ok: boolean; full: string[] }> {
    if (claims.length === 0) return { ok: true, full: [] };
    const args = claims.flatMap((c) => [c.windowMs, c.limit, c.members.length, ...c.members]);
    const full = (await this.redis.eval(CLAIM, claims.length, ...claims.map((c) => this.prefix + c.key), now, ...args)) as string[];
    return { ok: full.length === 0, full: full.map((key) => key.slice(this.prefix.length)) };
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

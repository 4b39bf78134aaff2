import type { Redis } from 'ioredis';
import { z } from 'zod';
import { findRedisTarget, isReplyError, unknownRedisTargetSummary, withRedis } from '../../src/plugins/connections/redis';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';

const COMMAND_CHARS = 160;
const KEY_CHARS = 80;

const InfoArgsSchema = z
  .object({
    target: z.string().min(1),
    slowlogCount: z.number().int().min(0).max(50).default(10),
  })
  .strict();
type InfoArgs = z.infer<typeof InfoArgsSchema>;

export interface SlowlogEntry {
  id: number;
  at: string;
  durationMs: number;
  command: string;
  client: string | null;
}

/** `key:value` lines; keyspace lines keep their `keys=…,expires=…` value for parseKeyspace. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (line.startsWith('#') || colon <= 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

function parseKeyspace(fields: Map<string, string>): Record<string, { keys: number; expires: number }> {
  const keyspace: Record<string, { keys: number; expires: number }> = {};
  for (const [name, value] of fields) {
    if (!/^db\d+$/.test(name)) continue;
    const pairs = new Map(value.split(',').map((pair) => pair.split('=') as [string, string]));
    keyspace[name] = { keys: Number(pairs.get('keys') ?? 0), expires: Number(pairs.get('expires') ?? 0) };
  }
  return keyspace;
}

/** Commands whose first argument is not a key, or is a secret (AUTH, HELLO, MIGRATE, scripts): only the name is kept. */
const NAME_ONLY = new Set(['AUTH', 'HELLO', 'MIGRATE', 'EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO', 'REPLICAOF', 'SLAVEOF']);
/** Container commands: the subcommand is safe to show, the rest (CONFIG SET requirepass …) is not. */
const WITH_SUBCOMMAND = new Set([
  'ACL', 'CLIENT', 'CLUSTER', 'COMMAND', 'CONFIG', 'DEBUG', 'FUNCTION', 'LATENCY', 'MEMORY', 'MODULE',
  'OBJECT', 'PUBSUB', 'SCRIPT', 'SENTINEL', 'SLOWLOG', 'XGROUP', 'XINFO',
]);

const printable = (text: string, max: number): string => {
  // Keys may hold control bytes that would garble a card.
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
};

/** Keeps the command name and its key (or subcommand); values may be personal data or secrets. */
export function redactCommand(args: readonly string[]): string {
  const [rawName = '', ...rest] = args;
  const name = printable(rawName.toUpperCase(), 32);
  let shown = [name];
  if (WITH_SUBCOMMAND.has(name) && rest[0] !== undefined && /^[A-Za-z-]{1,32}$/.test(rest[0])) shown = [name, rest[0].toUpperCase()];
  else if (!NAME_ONLY.has(name) && rest[0] !== undefined) shown = [name, printable(rest[0], KEY_CHARS)];
  const hidden = args.length - shown.length;
  const text = hidden > 0 ? `${shown.join(' ')} …(${hidden} arg${hidden === 1 ? '' : 's'} redacted)` : shown.join(' ');
  return printable(text, COMMAND_CHARS);
}

/** SLOWLOG GET replies `[id, unix s, µs, [args…], client addr, client name]`; older servers omit the last two. */
function parseSlowlog(reply: unknown): SlowlogEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.flatMap((entry: unknown): SlowlogEntry[] => {
    if (!Array.isArray(entry)) return [];
    const [id, at, micros, args, client] = entry as unknown[];
    if (typeof id !== 'number' || typeof at !== 'number' || typeof micros !== 'number' || !Array.isArray(args)) return [];
    const command = redactCommand(args.map(String));
    const durationMs = Math.round(micros / 10) / 100;
    return [{ id, at: new Date(at * 1000).toISOString(), durationMs, command, client: typeof client === 'string' ? client : null }];
  });
}

/** Managed Redis often disables SLOWLOG: that loses one section, not the whole report. */
async function readSlowlog(client: Redis, count: number): Promise<{ entries: SlowlogEntry[]; unavailable?: string }> {
  if (count === 0) return { entries: [] };
  try {
    return { entries: parseSlowlog(await client.call('SLOWLOG', 'GET', String(count))) };
  } catch (error) {
    if (!isReplyError(error)) throw error;
    return { entries: [], unavailable: error.message };
  }
}

function num(fields: Map<string, string>, key: string): number | null {
  const value = fields.get(key);
  if (value === undefined || value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function report(name: string, fields: Map<string, string>, slowlog: { entries: SlowlogEntry[]; unavailable?: string }): PluginResult {
  const maxmemory = num(fields, 'maxmemory');
  const used = num(fields, 'used_memory');
  const usedPercentOfMax = maxmemory && used !== null ? Math.round((used / maxmemory) * 1000) / 10 : null;
  const memory = {
    usedBytes: used,
    peakBytes: num(fields, 'used_memory_peak'),
    rssBytes: num(fields, 'used_memory_rss'),
    maxmemoryBytes: maxmemory,
    usedPercentOfMax,
    maxmemoryPolicy: fields.get('maxmemory_policy') ?? null,
    fragmentationRatio: num(fields, 'mem_fragmentation_ratio'),
  };
  const clients = { connected: num(fields, 'connected_clients'), blocked: num(fields, 'blocked_clients'), max: num(fields, 'maxclients') };
  const stats = {
    opsPerSec: num(fields, 'instantaneous_ops_per_sec'),
    evictedKeys: num(fields, 'evicted_keys'),
    expiredKeys: num(fields, 'expired_keys'),
    keyspaceHits: num(fields, 'keyspace_hits'),
    keyspaceMisses: num(fields, 'keyspace_misses'),
    rejectedConnections: num(fields, 'rejected_connections'),
  };
  const replication = {
    role: fields.get('role') ?? null,
    connectedReplicas: num(fields, 'connected_slaves'),
    masterLinkStatus: fields.get('master_link_status') ?? null,
  };
  const keyspace = parseKeyspace(fields);
  const server = { version: fields.get('redis_version') ?? null, uptimeSeconds: num(fields, 'uptime_in_seconds') };
  const data = { target: name, server, memory, clients, stats, replication, keyspace, slowlog: slowlog.entries, ...(slowlog.unavailable && { slowlogUnavailable: slowlog.unavailable }) };

  const totalKeys = Object.values(keyspace).reduce((sum, db) => sum + db.keys, 0);
  const limit = maxmemory ? `${formatBytes(maxmemory)} max (${usedPercentOfMax}%)` : 'no maxmemory';
  const slowest = [...slowlog.entries].sort((a, b) => b.durationMs - a.durationMs)[0];
  const slowText = slowlog.unavailable
    ? 'slowlog unavailable'
    : `${slowlog.entries.length} slowlog entries${slowest ? `, slowest ${slowest.durationMs} ms ${slowest.command}` : ''}`;
  const summary =
    `Redis ${name} (${server.version ?? '?'}, ${replication.role ?? '?'}): ${formatBytes(used)} used, ${limit}, ` +
    `peak ${formatBytes(memory.peakBytes)}, policy ${memory.maxmemoryPolicy ?? '?'}, fragmentation ${memory.fragmentationRatio ?? '?'}; ` +
    `${clients.connected ?? '?'} clients (${clients.blocked ?? '?'} blocked); ${stats.opsPerSec ?? '?'} ops/s; ` +
    `${stats.evictedKeys ?? '?'} evicted, ${stats.expiredKeys ?? '?'} expired; ${totalKeys} keys; ${slowText}`;
  return { status: 'success', summary, data };
}

async function info(args: InfoArgs, ctx: PluginContext): Promise<PluginResult> {
  const target = findRedisTarget(ctx.targets, args.target);
  if (!target) return { status: 'error', summary: unknownRedisTargetSummary(ctx.targets, args.target) };
  const outcome = await withRedis(target, ctx.signal, async (client) => {
    const text = await client.info();
    return { fields: parseInfo(text), slowlog: await readSlowlog(client, args.slowlogCount) };
  });
  if (!outcome.ok) return { status: 'error', summary: `Redis ${args.target}: ${outcome.reason}`, data: { target: args.target, failure: outcome.reason } };
  return report(args.target, outcome.value.fields, outcome.value.slowlog);
}

export default definePlugin({
  id: 'redis.info',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'Read a configured Redis: memory (used, peak, maxmemory, fragmentation, eviction policy), clients, evictions, ' +
    'expirations, keys per db, ops/s, replication role and the latest slowlog entries (argument values redacted). ' +
    'Use for Redis latency, memory pressure, evictions or connection problems.',
  summary: (args) => `Inspect Redis ${args.target}`,
  args: InfoArgsSchema,
  timeoutMs: 10_000,
  idempotent: true,
  run: info,
});

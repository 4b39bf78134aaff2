import type { Redis } from 'ioredis';
import { z } from 'zod';
import { findRedisTarget, unknownRedisTargetSummary, withRedis } from '../../src/plugins/connections/redis';
import type { RedisOutcome } from '../../src/plugins/connections/redis';
import { definePlugin } from '../../src/plugins/plugin';
import type { Confirmation, PluginContext, PluginResult } from '../../src/plugins/plugin';

export const MAX_DELETE_LIMIT = 10_000;
const MIN_PREFIX_CHARS = 3;
const SCAN_COUNT = 1_000;
const UNLINK_BATCH = 500;
const SAMPLE_SIZE = 20;
const SAMPLE_KEY_CHARS = 120;
const TIMEOUT_MS = 60_000;

/** The characters a Redis glob must match literally before its first wildcard; `\x` escapes x. */
export function literalPrefix(pattern: string): string {
  let prefix = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern.charAt(i);
    if (char === '*' || char === '?' || char === '[') break;
    if (char === '\\') {
      i += 1;
      if (i >= pattern.length) break;
      prefix += pattern.charAt(i);
    } else prefix += char;
  }
  return prefix;
}

const DeleteArgsSchema = z
  .object({
    target: z.string().min(1),
    /** A Redis glob (SCAN MATCH syntax), e.g. `cache:user:42:*`. */
    pattern: z
      .string()
      .max(256)
      .refine((pattern) => literalPrefix(pattern).length >= MIN_PREFIX_CHARS, {
        error: `pattern must start with a literal prefix of at least ${MIN_PREFIX_CHARS} characters before any * ? [ (e.g. "cache:user:*"); broad patterns are refused`,
      }),
    limit: z.number().int().min(1).max(MAX_DELETE_LIMIT).default(1_000),
  })
  .strict();
type DeleteArgs = z.infer<typeof DeleteArgsSchema>;

interface ScanOutcome {
  visited: number;
  /** SCAN reached cursor 0, so every key that matched throughout the scan was seen. */
  complete: boolean;
  sample: string[];
}

/**
 * SCAN (never KEYS, which blocks the server) until `max` distinct keys were handed to `visit` or the
 * keyspace is exhausted. Binary-safe: keys stay Buffers so UNLINK gets exactly what SCAN returned.
 */
async function forEachMatch(client: Redis, pattern: string, max: number, signal: AbortSignal, visit: (keys: Buffer[]) => Promise<void>): Promise<ScanOutcome> {
  const seen = new Set<string>();
  const sample: string[] = [];
  let cursor = '0';
  let truncated = false;
  do {
    signal.throwIfAborted();
    const [next, keys] = await client.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
    cursor = next.toString();
    // SCAN may return a key twice; count and delete it once.
    const fresh = keys.filter((key) => !seen.has(key.toString('latin1')));
    const taken = fresh.slice(0, max - seen.size);
    truncated = taken.length < fresh.length;
    for (const key of taken) seen.add(key.toString('latin1'));
    for (const key of taken.slice(0, SAMPLE_SIZE - sample.length)) sample.push(sampleText(key));
    if (taken.length > 0) await visit(taken);
  } while (cursor !== '0' && seen.size < max);
  return { visited: seen.size, complete: cursor === '0' && !truncated, sample };
}

function sampleText(key: Buffer): string {
  const text = key.toString('utf8');
  return text.length > SAMPLE_KEY_CHARS ? `${text.slice(0, SAMPLE_KEY_CHARS)}…` : text;
}

async function deleteKeys(args: DeleteArgs, ctx: PluginContext): Promise<PluginResult> {
  const target = findRedisTarget(ctx.targets, args.target);
  if (!target) return { status: 'error', summary: unknownRedisTargetSummary(ctx.targets, args.target) };
  let deleted = 0;
  const outcome = await withRedis(target, ctx.signal, (client) =>
    forEachMatch(client, args.pattern, args.limit, ctx.signal, async (keys) => {
      for (let i = 0; i < keys.length; i += UNLINK_BATCH) deleted += await client.unlink(...keys.slice(i, i + UNLINK_BATCH));
    }),
  );
  const where = `"${args.pattern}" on redis ${args.target}`;
  if (!outcome.ok) {
    const summary = `Deleting keys matching ${where} failed after ${deleted} deleted: ${outcome.reason}`;
    return { status: 'error', summary, data: { target: args.target, pattern: args.pattern, deleted, failure: outcome.reason } };
  }
  const { visited, complete, sample } = outcome.value;
  const data = { target: args.target, pattern: args.pattern, limit: args.limit, matched: visited, deleted, limitReached: !complete, sample };
  if (visited === 0) return { status: 'success', summary: `No keys match ${where}; nothing to delete`, data };
  // UNLINK counts only keys that still existed, so `deleted` can trail `matched` when keys expire meanwhile.
  const more = complete ? '' : ` (limit ${args.limit} reached; more keys may match)`;
  return { status: 'success', summary: `Deleted ${deleted} of ${visited} keys matching ${where}${more}`, data };
}

/** dryRun and confirm run outside runPlugin, so they bound themselves. */
async function scanWithin(args: DeleteArgs, ctx: PluginContext, max: number): Promise<RedisOutcome<ScanOutcome>> {
  const target = findRedisTarget(ctx.targets, args.target);
  if (!target) return { ok: false, reason: unknownRedisTargetSummary(ctx.targets, args.target) };
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]);
  try {
    return await withRedis(target, signal, (client) => forEachMatch(client, args.pattern, max, signal, () => Promise.resolve()));
  } catch (error) {
    if (ctx.signal.aborted || !signal.aborted) throw error;
    return { ok: false, reason: `scanning timed out after ${TIMEOUT_MS} ms` };
  }
}

async function plan(args: DeleteArgs, ctx: PluginContext): Promise<string> {
  const outcome = await scanWithin(args, ctx, args.limit);
  if (!outcome.ok) return `Cannot plan: ${outcome.reason}`;
  const { visited, complete, sample } = outcome.value;
  const where = `"${args.pattern}" on redis ${args.target}`;
  if (visited === 0) return `No keys match ${where}; nothing would be deleted`;
  const count = complete ? `${visited} keys` : `the first ${visited} of more keys`;
  const shown = sample.slice(0, 5).join(', ');
  return `UNLINK ${count} matching ${where} (limit ${args.limit}), e.g. ${shown}${visited > 5 ? ', …' : ''}`;
}

/** No matching key left means the deletion happened (or nothing was there); re-running is safe either way. */
async function confirm(args: DeleteArgs, ctx: PluginContext): Promise<Confirmation> {
  const outcome = await scanWithin(args, ctx, 1);
  if (!outcome.ok) return 'unknown';
  return outcome.value.visited === 0 ? 'applied' : 'not_applied';
}

export default definePlugin({
  id: 'redis.delete_keys',
  version: 1,
  category: 'remediation',
  // High: UNLINK cannot be undone, and a key pattern does not tell a disposable cache from the only copy
  // of sessions, queues or locks. The prefix rule and hard limit bound how many keys go, not how much they matter.
  risk: 'high',
  blastRadius: 'service',
  description:
    'Delete keys matching a Redis glob pattern on a configured Redis, found with SCAN and removed with UNLINK, ' +
    `at most \`limit\` (≤ ${MAX_DELETE_LIMIT}) keys. The pattern needs a literal prefix of ≥ ${MIN_PREFIX_CHARS} characters. ` +
    'Use to drop stale or poisoned cache entries.',
  summary: (args) => `Delete ≤${args.limit} keys matching "${args.pattern}" on Redis ${args.target}`,
  args: DeleteArgsSchema,
  timeoutMs: TIMEOUT_MS,
  idempotent: true,
  // Deleted keys and their values are gone; nothing here can write them back.
  undo: 'none',
  run: deleteKeys,
  dryRun: plan,
  confirm,
});

import { pino } from 'pino';
import { RedisLeases } from '../../src/locks/redis-leases';
import { createRedisClient } from '../../src/locks/redis-client';
import { createTestDatabase } from '../../test/support/database';
import { openBenchRuntime, POOL_SIZE } from '../bench-runtime';
import type { BenchRuntime } from '../bench-runtime';
import { runFullWorkflows } from '../full-workflow';
import { measureRawInserts } from '../raw-insert';
import { perSecond, summarize } from '../stats';
import type { CpuUse, Summary } from '../stats';

export interface WorkflowLevelSize {
  concurrency: number;
  incidents: number;
  rawInserts: number;
}

export interface WorkflowLevel {
  concurrency: number;
  /** Who holds incidents while they run: in process (one instance), or Redis (as several instances do). */
  leases: 'in process' | 'Redis';
  raw: { inserts: number; perSecond: number; latency: Summary };
  workflow: {
    incidents: number;
    perSecond: number;
    incident: Summary;
    transition: Summary;
    /** The transition's own write (with its wait to join a group commit), without its wait behind the incident's previous write. */
    saveTransition: Summary;
    /** From the event (step finished, send called) until its transition's write started. */
    untilWrite: Summary;
    byEvent: Record<string, Summary>;
    cpu: CpuUse;
  };
}

/**
 * Each concurrency level: the raw-insert baseline, then full workflows, on one database and server.
 * With `redisUrl`, the middle level runs once more with the incidents leased in Redis.
 */
export async function measureWorkflow(levels: WorkflowLevelSize[], warmupIncidents: number, redisUrl?: string): Promise<WorkflowLevel[]> {
  const db = await createTestDatabase('aifixer_bench');
  try {
    const results: WorkflowLevel[] = [];
    await withBench(db.url, undefined, async (bench) => {
      await runFullWorkflows(bench, 'warmup', warmupIncidents, 4); // JIT, pool connections, plan caches
      for (const level of levels) {
        const raw = await measureRawInserts(db.url, POOL_SIZE, level.rawInserts, level.concurrency);
        const rawFigures = { inserts: raw.count, perSecond: perSecond(raw.count, raw.elapsedMs), latency: summarize(raw.latencyMs) };
        results.push({ concurrency: level.concurrency, leases: 'in process', raw: rawFigures, workflow: await workflowsAt(bench, level, 'in process') });
      }
    });
    const shared = results[Math.floor((results.length - 1) / 2)];
    const level = levels.find((l) => l.concurrency === shared?.concurrency);
    if (redisUrl && shared && level) {
      await withRedisLeases(redisUrl, (leases) =>
        withBench(db.url, leases, async (bench) => {
          await runFullWorkflows(bench, 'warmup-redis', warmupIncidents, 4);
          results.push({ ...shared, leases: 'Redis', workflow: await workflowsAt(bench, level, 'Redis') });
        }),
      );
    }
    return results;
  } finally {
    await db.drop();
  }
}

async function workflowsAt(bench: BenchRuntime, level: WorkflowLevelSize, leases: WorkflowLevel['leases']): Promise<WorkflowLevel['workflow']> {
  const run = await runFullWorkflows(bench, `${leases === 'Redis' ? 'redis-' : ''}c${level.concurrency}`, level.incidents, level.concurrency);
  return {
    incidents: run.count,
    perSecond: perSecond(run.count, run.elapsedMs),
    incident: summarize(run.incidentMs),
    transition: summarize([...run.transitionMs.values()].flat()),
    saveTransition: summarize(run.saveTransitionMs),
    untilWrite: summarize(run.untilWriteMs),
    byEvent: Object.fromEntries([...run.transitionMs].map(([event, samples]) => [event, summarize(samples)])),
    cpu: run.cpu,
  };
}

async function withBench(databaseUrl: string, leases: RedisLeases | undefined, measure: (bench: BenchRuntime) => Promise<void>): Promise<void> {
  const bench = await openBenchRuntime(databaseUrl, POOL_SIZE, leases);
  try {
    await measure(bench);
  } finally {
    await bench.close();
  }
}

async function withRedisLeases(url: string, measure: (leases: RedisLeases) => Promise<void>): Promise<void> {
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const redis = createRedisClient(url, logger);
  try {
    await redis.ping();
    await measure(new RedisLeases(redis, { ttlMs: 30_000, prefix: `aifixer-bench:${Date.now()}:`, logger }));
  } finally {
    redis.disconnect();
  }
}

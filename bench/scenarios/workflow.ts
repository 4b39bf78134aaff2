import { createTestDatabase } from '../../test/support/database';
import { openBenchRuntime, POOL_SIZE } from '../bench-runtime';
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
  raw: { inserts: number; perSecond: number; latency: Summary };
  workflow: {
    incidents: number;
    perSecond: number;
    incident: Summary;
    transition: Summary;
    /** The transition's own write (with its wait to join a group commit), without its wait behind the incident's previous write. */
    saveTransition: Summary;
    byEvent: Record<string, Summary>;
    cpu: CpuUse;
  };
}

/** Each concurrency level: the raw-insert baseline, then full workflows, on one database and server. */
export async function measureWorkflow(levels: WorkflowLevelSize[], warmupIncidents: number): Promise<WorkflowLevel[]> {
  const db = await createTestDatabase('aifixer_bench');
  const bench = await openBenchRuntime(db.url);
  try {
    await runFullWorkflows(bench, 'warmup', warmupIncidents, 4); // JIT, pool connections, plan caches
    const results: WorkflowLevel[] = [];
    for (const level of levels) {
      const raw = await measureRawInserts(db.url, POOL_SIZE, level.rawInserts, level.concurrency);
      const run = await runFullWorkflows(bench, `c${level.concurrency}`, level.incidents, level.concurrency);
      const byEvent = Object.fromEntries([...run.transitionMs].map(([event, samples]) => [event, summarize(samples)]));
      results.push({
        concurrency: level.concurrency,
        raw: { inserts: raw.count, perSecond: perSecond(raw.count, raw.elapsedMs), latency: summarize(raw.latencyMs) },
        workflow: {
          incidents: run.count,
          perSecond: perSecond(run.count, run.elapsedMs),
          incident: summarize(run.incidentMs),
          transition: summarize([...run.transitionMs.values()].flat()),
          saveTransition: summarize(run.saveTransitionMs),
          byEvent,
          cpu: run.cpu,
        },
      });
    }
    return results;
  } finally {
    await bench.close();
    await db.drop();
  }
}

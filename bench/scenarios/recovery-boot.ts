/**
 * A bot booting on a database full of parked incidents, in a process of its own so its memory is its own:
 * `node --expose-gc --import tsx bench/scenarios/recovery-boot.ts <database-url> <parked-incident-id>`.
 * Prints one JSON line (RecoveryBoot) on stdout.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { openBenchRuntime, settled } from '../bench-runtime';

export const RecoveryBootSchema = z.object({
  parked: z.number(),
  /** Pool, migrations check, runtime built. */
  openMs: z.number(),
  /** recover() plus the first sweep(). */
  recoverMs: z.number(),
  bootMs: z.number(),
  resumed: z.number(),
  woken: z.number(),
  /** One approval sent to a parked incident right after boot, until it is persisted. */
  firstEventMs: z.number(),
  liveAfterBoot: z.number(),
  rssBefore: z.number(),
  rssAfter: z.number(),
  heapBefore: z.number(),
  heapAfter: z.number(),
  gcExposed: z.boolean(),
});
export type RecoveryBoot = z.infer<typeof RecoveryBootSchema>;

/** Memory after a full collection, when the process was started with --expose-gc. */
function memory() {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

async function boot(databaseUrl: string, parkedId: string): Promise<RecoveryBoot> {
  const opening = performance.now();
  const bench = await openBenchRuntime(databaseUrl);
  const openMs = performance.now() - opening;
  try {
    const before = memory();
    const recovering = performance.now();
    const resumed = await bench.runtime.recover();
    const woken = await bench.sweeper.sweep();
    const recoverMs = performance.now() - recovering;
    const liveAfterBoot = bench.runtime.liveCount;
    const after = memory();
    const { parked } = await bench.store.countByStatus();
    const sending = performance.now();
    await bench.runtime.send(parkedId, { type: 'diagnosis.approved', by: { id: 'bench-approver' }, source: { kind: 'command' } });
    const firstEventMs = performance.now() - sending;
    // Let it park again: the next boot finds only parked incidents, and no step is in flight at close.
    await bench.timeline.reached(parkedId, 'open.awaitingProposalApproval');
    await settled(bench);
    return {
      parked,
      openMs,
      recoverMs,
      bootMs: openMs + recoverMs,
      resumed,
      woken,
      firstEventMs,
      liveAfterBoot,
      rssBefore: before.rss,
      rssAfter: after.rss,
      heapBefore: before.heapUsed,
      heapAfter: after.heapUsed,
      gcExposed: typeof globalThis.gc === 'function',
    };
  } finally {
    await bench.close();
  }
}

const [databaseUrl, parkedId] = process.argv.slice(2);
// Only when run as the boot script: bench/run.ts imports this file too, with its own flags as arguments.
if (process.argv[1] === fileURLToPath(import.meta.url) && databaseUrl && parkedId) {
  process.stdout.write(`${JSON.stringify(await boot(databaseUrl, parkedId))}\n`);
}

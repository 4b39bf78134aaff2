import os from 'node:os';

/** Latency summary in milliseconds; percentiles by nearest rank, so p99 is a latency that really happened. */
export interface Summary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { n: 0, p50: NaN, p99: NaN, mean: NaN, max: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, x) => sum + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: total / sorted.length,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? NaN;
}

export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : NaN;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; resolves with the wall time. */
export async function runConcurrently(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - started;
}

export interface CpuUse {
  /** Node process CPU (user + system, all its threads) as a share of one core: near 1 means its event loop is the bound. */
  nodeShareOfCore: number;
  /** Busy share of the whole machine (every core; Postgres included when it runs here). */
  machineBusy: number;
}

function machineTicks(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

export async function measureCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const node = process.cpuUsage();
  const machine = machineTicks();
  const started = performance.now();
  const result = await work();
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(node);
  const after = machineTicks();
  return {
    result,
    cpu: {
      nodeShareOfCore: (used.user + used.system) / 1000 / elapsedMs,
      machineBusy: (after.busy - machine.busy) / Math.max(1, after.total - machine.total),
    },
  };
}

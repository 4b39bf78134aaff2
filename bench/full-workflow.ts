import type { AlertInput } from '../src/domain';
import type { BenchRuntime } from './bench-runtime';
import { measureCpu, runConcurrently } from './stats';
import type { CpuUse } from './stats';

export interface WorkflowRun {
  count: number;
  concurrency: number;
  elapsedMs: number;
  /** Alert received → resolved persisted. */
  incidentMs: number[];
  /** Step finished / create or send called → that transition persisted, by event type. */
  transitionMs: Map<string, number[]>;
  /** The transition's own transaction (UPDATE … WHERE version + audit INSERT). */
  saveTransitionMs: number[];
  /** Step finished / send called → that transition's write started. */
  untilWriteMs: number[];
  cpu: CpuUse;
}

const APPROVER = { by: { id: 'bench-approver' }, source: { kind: 'command' as const } };

export function benchAlert(fingerprint: string): AlertInput {
  return { source: 'bench', fingerprint, title: `checkout returns 503 (${fingerprint})`, severity: 'high', service: 'checkout' };
}

/**
 * Drives `count` incidents alert → diagnosis approval → proposal approval → execute → verify → resolved,
 * `concurrency` at a time; each approval is sent the moment its incident parks.
 */
export async function runFullWorkflows(bench: BenchRuntime, label: string, count: number, concurrency: number): Promise<WorkflowRun> {
  const run: WorkflowRun = { count, concurrency, elapsedMs: 0, incidentMs: [], transitionMs: new Map(), saveTransitionMs: [], untilWriteMs: [], cpu: { nodeShareOfCore: NaN, machineBusy: NaN } };
  bench.store.saveTransitionMs.length = 0;
  bench.store.untilWriteMs.length = 0;
  const { result, cpu } = await measureCpu(() => runConcurrently(count, concurrency, (i) => oneIncident(bench, `${label}-${i}`, run)));
  run.elapsedMs = result;
  run.cpu = cpu;
  run.saveTransitionMs = [...bench.store.saveTransitionMs];
  run.untilWriteMs = [...bench.store.untilWriteMs];
  return run;
}

async function oneIncident(bench: BenchRuntime, fingerprint: string, run: WorkflowRun): Promise<void> {
  const { runtime, timeline, marks } = bench;
  const started = performance.now();
  const { id } = await runtime.create({ alert: benchAlert(fingerprint), chatId: 'bench', by: { id: 'alertmanager' } });
  marks.mark(id, 'alert.received', started);
  await timeline.reached(id, 'open.awaitingDiagnosisApproval');
  marks.mark(id, 'diagnosis.approved');
  await runtime.send(id, { type: 'diagnosis.approved', ...APPROVER });
  await timeline.reached(id, 'open.awaitingProposalApproval');
  marks.mark(id, 'proposal.approved');
  await runtime.send(id, { type: 'proposal.approved', ...APPROVER });
  const resolved = await timeline.reached(id, 'resolved');
  run.incidentMs.push(resolved.at - started);
  for (const change of timeline.of(id)) {
    const askedAt = marks.take(id, change.eventType);
    if (askedAt === undefined) continue;
    const samples = run.transitionMs.get(change.eventType) ?? [];
    samples.push(change.at - askedAt);
    run.transitionMs.set(change.eventType, samples);
  }
  timeline.forget(id);
}

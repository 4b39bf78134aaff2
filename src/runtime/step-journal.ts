import type { DurabilityGate } from './durability-gate';
import type { StepJournalPort } from './step-journal-port';

export interface StepKey {
  incidentId: string;
  step: string;
  attempt: number;
}

export function idempotencyKey({ incidentId, step, attempt }: StepKey): string {
  return `${incidentId}/${attempt}/${step}`;
}

/** A failure recorded by an earlier run of the same step, replayed rather than retried. */
export class RecordedStepError extends Error {
  override name = 'RecordedStepError';
}

/**
 * XState re-runs an invoked promise that was in flight when the process died. Every side-effecting
 * step runs through here: the first run records its result under an idempotency key, a re-run gets
 * the recorded result (or failure) back instead of acting again.
 */
export class StepJournal {
  constructor(
    private readonly store: StepJournalPort,
    private readonly gate: DurabilityGate,
  ) {}

  /** Waits until the transition that started the step is persisted; nothing acts on a state that could be lost. */
  async barrier(incidentId: string, signal: AbortSignal): Promise<void> {
    await this.gate.whenDurable(incidentId);
    signal.throwIfAborted();
  }

  async run<T>(key: StepKey, signal: AbortSignal, act: (idempotencyKey: string) => Promise<T>): Promise<T> {
    await this.barrier(key.incidentId, signal);
    const id = idempotencyKey(key);
    const recorded = await this.store.claim(id, key.incidentId, key.step);
    if (recorded?.status === 'done') return recorded.result as T;
    if (recorded?.status === 'failed') throw new RecordedStepError(recorded.error ?? 'step failed');
    let result: T;
    try {
      result = await act(id);
    } catch (error) {
      // A step cancelled because its state was left (deadline, eviction, shutdown) has no outcome to record.
      if (!signal.aborted) await this.store.fail(id, error instanceof Error ? error.message : String(error));
      throw error;
    }
    await this.store.finish(id, result);
    return result;
  }
}

import type { DurabilityGate } from './durability-gate';
import type { StepJournalPort, StepOutcome } from './step-journal-port';

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

/** Where an outcome goes: with the incident's next transition, or in a commit of its own now. */
type Keep = (outcome: StepOutcome) => Promise<void>;

/**
 * XState re-runs an invoked promise that was in flight when the process died. Every side-effecting
 * step runs through here: a run records its outcome under an idempotency key, a re-run gets the recorded
 * result (or failure) back instead of acting again.
 *
 * A step whose result is the invoked actor's output (`step`) records it in the same statement as the
 * `xstate.done.actor.*` transition that result causes: XState re-runs the step exactly when that
 * transition was not persisted, and then no outcome was either. A part of a step (`run`: an agent's
 * turn, one of several notifications) records its outcome at once, in its own commit.
 */
export class StepJournal {
  constructor(
    private readonly store: StepJournalPort,
    private readonly gate: DurabilityGate,
    private readonly onLost: (error: unknown, outcomes: StepOutcome[]) => void = () => undefined,
  ) {
    gate.onOrphanedOutcomes((outcomes) => this.store.record(outcomes).catch((error: unknown) => this.onLost(error, outcomes)));
  }

  /** Waits until the transition that started the step is persisted; nothing acts on a state that could be lost. */
  async barrier(incidentId: string, signal: AbortSignal): Promise<void> {
    await this.gate.whenDurable(incidentId);
    signal.throwIfAborted();
  }

  /**
   * The whole of an invoked step: `act`'s result must be what the actor returns, with nothing after it.
   * The outcome rides with the incident's next write; if the actor was stopped meanwhile (no transition
   * will come), it is written on its own.
   */
  async step<T>(key: StepKey, signal: AbortSignal, act: (idempotencyKey: string) => Promise<T>): Promise<T> {
    return this.journaled(key, signal, act, (outcome) => {
      if (signal.aborted) this.gate.writeAlone(key.incidentId, [outcome]);
      else this.gate.carry(outcome);
      return Promise.resolve();
    });
  }

  /** A part of a step: its outcome is committed before `run` returns (with any outcome still waiting for a transition). */
  async run<T>(key: StepKey, signal: AbortSignal, act: (idempotencyKey: string) => Promise<T>): Promise<T> {
    return this.journaled(key, signal, act, async (outcome) => {
      const waiting = this.gate.takeCarried(key.incidentId);
      try {
        await this.store.record([...waiting, outcome]);
      } catch (error) {
        waiting.forEach((w) => this.gate.carry(w));
        throw error;
      }
    });
  }

  private async journaled<T>(key: StepKey, signal: AbortSignal, act: (idempotencyKey: string) => Promise<T>, keep: Keep): Promise<T> {
    await this.barrier(key.incidentId, signal);
    const id = idempotencyKey(key);
    // A step this incident's actor runs for the first time has nothing recorded: no lookup (see RecordedSteps).
    const recorded = this.gate.recorded.mayHave(key.incidentId, id) ? await this.store.recorded(id) : null;
    if (recorded?.status === 'done') return recorded.result as T;
    if (recorded?.status === 'failed') throw new RecordedStepError(recorded.error ?? 'step failed');
    // First run, or an earlier one that never finished (a `started` row from before outcomes rode with transitions).
    return this.act(key, id, signal, act, (outcome) => {
      this.gate.recorded.add(key.incidentId, id);
      return keep(outcome);
    });
  }

  private async act<T>(key: StepKey, id: string, signal: AbortSignal, act: (idempotencyKey: string) => Promise<T>, keep: Keep): Promise<T> {
    const startedAt = new Date();
    const base = { key: id, incidentId: key.incidentId, step: key.step, startedAt };
    let result: T;
    try {
      result = await act(id);
    } catch (error) {
      // A step cancelled because its state was left (deadline, eviction, shutdown) has no outcome to record.
      if (!signal.aborted) {
        await keep({ ...base, status: 'failed', result: null, error: error instanceof Error ? error.message : String(error), finishedAt: new Date() });
      }
      throw error;
    }
    await keep({ ...base, status: 'done', result: this.store.seal(id, result ?? null), error: null, finishedAt: new Date() });
    return result;
  }
}


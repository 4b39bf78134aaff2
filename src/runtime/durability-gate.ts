import { RecordedSteps } from './recorded-steps';
import type { StepOutcome } from './step-journal-port';

/**
 * Per-incident ordered persistence. Snapshots are saved one after another in the order XState
 * produced them; side-effecting steps wait here until the transition that started them is durable,
 * so nothing outside ever sees work ordered by a state that could still be lost. A finished step's
 * outcome waits here too, to be written with the next transition of its incident (the one its result causes).
 */
export class DurabilityGate {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly carried = new Map<string, StepOutcome[]>();
  private orphanHandler: (outcomes: StepOutcome[]) => Promise<void> = () => Promise.resolve();
  /** Which outcomes may exist for the incidents held here (the runtime opens and closes, the journal reads and adds). */
  readonly recorded = new RecordedSteps();

  /**
   * `onFailure` runs before anyone waiting in `whenDurable` resumes, so a failed write can stop the
   * actor (aborting its steps) before a step could act on the state that was not saved.
   */
  enqueue(incidentId: string, write: () => Promise<void>, onFailure: (error: unknown) => void): Promise<void> {
    const previous = this.tails.get(incidentId) ?? Promise.resolve();
    const next = previous.then(write);
    const tail = next.then(
      () => undefined,
      (error: unknown) => onFailure(error),
    );
    this.tails.set(incidentId, tail);
    void tail.then(() => {
      if (this.tails.get(incidentId) === tail) this.tails.delete(incidentId);
    });
    return next;
  }

  /**
   * Resolves once every snapshot enqueued so far for the incident is committed. Called from inside an
   * actor that XState is starting: its transition's snapshot is enqueued later in the same synchronous
   * update, hence the first await.
   */
  async whenDurable(incidentId: string): Promise<void> {
    await Promise.resolve();
    await this.tails.get(incidentId);
  }

  /** True while a write of the incident is queued or running. */
  busy(incidentId: string): boolean {
    return this.tails.has(incidentId);
  }

  /** Keeps a finished step's outcome until the incident's next write takes it (its `xstate.done.actor.*` transition, or earlier). */
  carry(outcome: StepOutcome): void {
    const list = this.carried.get(outcome.incidentId);
    if (list) list.push(outcome);
    else this.carried.set(outcome.incidentId, [outcome]);
  }

  /** The outcomes waiting for the incident's next write; they are the taker's to write now. */
  takeCarried(incidentId: string): StepOutcome[] {
    const list = this.carried.get(incidentId);
    if (!list) return [];
    this.carried.delete(incidentId);
    return list;
  }

  /** Who writes outcomes no transition will take (the step journal registers itself); the handler must not reject. */
  onOrphanedOutcomes(handler: (outcomes: StepOutcome[]) => Promise<void>): void {
    this.orphanHandler = handler;
  }

  /**
   * The incident's actor left memory, or its write was refused before reaching the database: outcomes
   * still waiting for a transition are written on their own, queued as the incident's writes are: whoever
   * restores it next (after `whenDurable`) finds them.
   */
  orphan(incidentId: string, outcomes: StepOutcome[] = []): void {
    this.writeAlone(incidentId, [...outcomes, ...this.takeCarried(incidentId)]);
  }

  /** Writes these outcomes on their own, in the incident's write queue (a step that finished after it was stopped). */
  writeAlone(incidentId: string, outcomes: StepOutcome[]): void {
    if (outcomes.length === 0) return;
    void this.enqueue(incidentId, () => this.orphanHandler(outcomes), () => undefined).catch(() => undefined);
  }

  get pending(): number {
    return this.tails.size;
  }
}

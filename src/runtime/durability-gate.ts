/**
 * Per-incident ordered persistence. Snapshots are saved one after another in the order XState
 * produced them; side-effecting steps wait here until the transition that started them is durable,
 * so nothing outside ever sees work ordered by a state that could still be lost.
 */
export class DurabilityGate {
  private readonly tails = new Map<string, Promise<void>>();

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

  get pending(): number {
    return this.tails.size;
  }
}

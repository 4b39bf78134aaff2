/** One item's outcome in a batch: its value when it was written, else its own error. */
export type ItemOutcome<R> = { value: R } | { error: unknown };

interface Queued<T, R> {
  item: T;
  settle: (outcome: ItemOutcome<R>) => void;
}

/**
 * Group commit for independent writes: while `maxInFlight` batches are running, further writes wait and
 * then go together in one statement (one round trip, one commit). A lone write goes at once, so an idle
 * system pays no wait. `write` settles each item with its own outcome, in the order given.
 */
export class WriteBatcher<T, R = void> {
  private queue: Queued<T, R>[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<ItemOutcome<R>[]>,
    private readonly maxInFlight: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({
        item,
        settle: (outcome) => {
          if ('value' in outcome) resolve(outcome.value);
          else reject(outcome.error instanceof Error ? outcome.error : new Error('batched write failed', { cause: outcome.error }));
        },
      });
      if (this.inFlight < this.maxInFlight) this.flush();
    });
  }

  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.inFlight++;
    void this.write(batch.map((q) => q.item))
      .then(
        (outcomes) => batch.forEach((q, i) => q.settle(outcomes[i] ?? { error: new Error('batched write gave no outcome') })),
        (error: unknown) => batch.forEach((q) => q.settle({ error: error ?? new Error('batched write failed') })),
      )
      .finally(() => {
        this.inFlight--;
        this.flush();
      });
  }
}

/** Each item's outcome from a promise per item (a batch written one by one). */
export function outcomeOf<R>(promise: Promise<R>): Promise<ItemOutcome<R>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

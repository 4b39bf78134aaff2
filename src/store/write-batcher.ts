interface Queued<T> {
  item: T;
  resolve: (error: unknown) => void;
}

/**
 * Group commit for independent writes: while `maxInFlight` batches are running, further writes wait and
 * then go together in one statement (one round trip, one commit). A lone write goes at once, so an idle
 * system pays no wait. `write` settles each item: undefined when it was written, else its own error.
 */
export class WriteBatcher<T> {
  private queue: Queued<T>[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<unknown[]>,
    private readonly maxInFlight: number,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve: (error) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error("batched write failed", { cause: error }))) });
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
        (errors) => batch.forEach((q, i) => q.resolve(errors[i])),
        (error: unknown) => batch.forEach((q) => q.resolve(error ?? new Error('batched write failed'))),
      )
      .finally(() => {
        this.inFlight--;
        this.flush();
      });
  }
}

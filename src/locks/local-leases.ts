import type { Lease, LeasePort } from './lease-port';

/** Leases for a single instance: in memory, never lost. */
export class LocalLeases implements LeasePort {
  private readonly held = new Map<string, { released: Promise<void> }>();

  async acquire(key: string, waitMs: number): Promise<Lease | undefined> {
    const until = Date.now() + waitMs;
    for (let current = this.held.get(key); current; current = this.held.get(key)) {
      const remaining = until - Date.now();
      if (remaining <= 0) return undefined;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([current.released, new Promise<void>((resolve) => (timer = setTimeout(resolve, remaining)))]);
      clearTimeout(timer);
    }
    let release!: () => void;
    const entry = { released: new Promise<void>((resolve) => (release = resolve)) };
    this.held.set(key, entry);
    return {
      lost: new AbortController().signal,
      release: () => {
        if (this.held.get(key) === entry) this.held.delete(key);
        release();
        return Promise.resolve();
      },
    };
  }

  get size(): number {
    return this.held.size;
  }
}

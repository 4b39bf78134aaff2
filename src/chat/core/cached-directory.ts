import type { Logger } from 'pino';
import type { PeopleDirectory } from './people-directory';

/** Where names come from: a chat's contact API, for the ids it `accepts`. */
export interface NameSource {
  /** What it names, for logs: `Lark users (contact:user.base:readonly)`. */
  readonly label: string;
  /** At most this many ids per `lookUp`. */
  readonly batchSize: number;
  accepts(id: string): boolean;
  /**
   * The names of these ids; an id left out has none (unknown, or out of the app's reach). Throws
   * `NamesRefusedError` when the app may not read names at all, anything else when it could not ask now.
   */
  lookUp(ids: string[]): Promise<Map<string, string>>;
}

/** The chat refuses the app its names (a missing scope): asked again only after a while. */
export class NamesRefusedError extends Error {
  override name = 'NamesRefusedError';
}

export interface CachedDirectoryOptions {
  sources: NameSource[];
  logger: Logger;
  /** How long a name (or its absence) is kept. Default 1 h. */
  ttlMs?: number;
  /** How long a refusal is remembered before the source is asked again. Default 10 min. */
  refusalMs?: number;
  /** How long a source that failed (throttled, unreachable) is left alone. Default 30 s. */
  failureMs?: number;
  /** Names kept at most; the least recently used go first. Default 5,000. */
  maxEntries?: number;
  /** Ids looked up at most per call (the rest are shown as ids). Default 200. */
  maxIdsPerCall?: number;
  now?: () => number;
}

interface Entry {
  name: string | null;
  expiresAt: number;
}

interface SourceState {
  refusedUntil: number;
  failedUntil: number;
  refusalLogged: boolean;
}

const HOUR_MS = 3_600_000;

/** A directory over name sources: names cached with a TTL and a size bound, a refusal remembered and logged once. */
export class CachedDirectory implements PeopleDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly states = new Map<NameSource, SourceState>();
  private readonly ttlMs: number;
  private readonly refusalMs: number;
  private readonly failureMs: number;
  private readonly maxEntries: number;
  private readonly maxIdsPerCall: number;
  private readonly now: () => number;

  constructor(private readonly options: CachedDirectoryOptions) {
    this.ttlMs = options.ttlMs ?? HOUR_MS;
    this.refusalMs = options.refusalMs ?? 10 * 60_000;
    this.failureMs = options.failureMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 5_000;
    this.maxIdsPerCall = options.maxIdsPerCall ?? 200;
    this.now = options.now ?? Date.now;
    for (const source of options.sources) this.states.set(source, { refusedUntil: 0, failedUntil: 0, refusalLogged: false });
  }

  /** How many names (or known absences) are kept now. */
  get size(): number {
    return this.entries.size;
  }

  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const misses = new Map<NameSource, string[]>();
    for (const id of [...new Set(ids)].slice(0, this.maxIdsPerCall)) {
      const entry = this.cached(id);
      if (entry) {
        if (entry.name !== null) names.set(id, entry.name);
        continue;
      }
      const source = this.options.sources.find((s) => s.accepts(id));
      if (source) misses.set(source, [...(misses.get(source) ?? []), id]);
    }
    await Promise.all([...misses].map(([source, missing]) => this.ask(source, missing, names)));
    return names;
  }

  private cached(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(id, entry); // most recently used last
    return entry;
  }

  private remember(id: string, name: string | null): void {
    this.entries.delete(id);
    this.entries.set(id, { name, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Asks one source for what it is missing, a batch at a time; it stops at its first refusal or failure. */
  private async ask(source: NameSource, ids: string[], names: Map<string, string>): Promise<void> {
    const state = this.states.get(source)!;
    if (state.refusedUntil > this.now() || state.failedUntil > this.now()) return;
    for (let start = 0; start < ids.length; start += source.batchSize) {
      const batch = ids.slice(start, start + source.batchSize);
      try {
        const found = await source.lookUp(batch);
        for (const id of batch) {
          const name = found.get(id)?.trim() || null;
          this.remember(id, name);
          if (name !== null) names.set(id, name);
        }
      } catch (error) {
        this.failed(source, state, error);
        return;
      }
    }
  }

  private failed(source: NameSource, state: SourceState, error: unknown): void {
    const { logger } = this.options;
    if (error instanceof NamesRefusedError) {
      state.refusedUntil = this.now() + this.refusalMs;
      // for developers: a log line for whoever runs the bot
      const line = `${source.label}: the app may not read names, so the console shows ids; grant the scope to show names`;
      if (state.refusalLogged) logger.debug({ reason: error.message }, line);
      else logger.warn({ reason: error.message }, line);
      state.refusalLogged = true;
      return;
    }
    state.failedUntil = this.now() + this.failureMs;
    logger.warn({ err: error }, `${source.label}: could not look names up; ids are shown until it answers`);
  }
}

import type { Logger } from 'pino';
import type { AnyPlugin, PluginContext } from './plugin';
import { runPlugin } from './run-plugin';
import type { PluginRunResult } from './run-plugin';
import type { Scrubber } from '../security/redact';
import type { Targets } from './targets';
import { abortable } from './abortable';

const DEFAULT_MAX_ENTRIES = 500;

export interface PluginRunnerOptions {
  targets: Targets;
  logger: Logger;
  /** PLUGIN_CACHE_TTL: how long a diagnostic's answer is reused for an identical call. */
  cacheTtlMs: number;
  /** Bounds memory when a storm asks many different things; the oldest entry goes first. */
  maxEntries?: number;
  /** Milliseconds now; tests pass a fake to step past the TTL. */
  clock?: () => number;
  /** Passed to every run, so results (and so the cache) hold no secrets. */
  scrubber?: Scrubber;
  /** Hears each run that finished with a result (metrics); calls answered from the cache or a shared run are not runs. */
  onResult?: (plugin: AnyPlugin, result: PluginRunResult) => void;
}

export interface RunOptions {
  /** The caller must see the current state (e.g. verification polling after a fix): no cache either way. */
  fresh?: boolean;
  /** Logs the run this call starts; a shared run keeps the logger of the call that started it. */
  logger?: Logger;
}

export interface RunnerStats {
  /** Calls answered by a run already in flight or a cached result. */
  hits: number;
  /** Cacheable calls that started a run. */
  misses: number;
  entries: number;
}

interface Entry {
  running: Promise<PluginRunResult>;
  controller: AbortController;
  waiters: number;
  /** Unset while running. */
  expiresAt?: number;
}

/**
 * Runs plugins through runPlugin. Identical diagnostic calls (same id, version and parsed args) share
 * one run while it is in flight and its result for `cacheTtlMs` after: an alert storm asks the same
 * question many times. Error results are shared only in flight, never kept: an error (a timeout, a
 * refused connection) is the answer most likely to change, and the next step acts on it. Remediation
 * always runs: an action is never answered from a cache.
 */
export class PluginRunner {
  private readonly cache = new Map<string, Entry>();
  private readonly clock: () => number;
  private readonly maxEntries: number;
  private hits = 0;
  private misses = 0;

  constructor(private readonly options: PluginRunnerOptions) {
    this.clock = options.clock ?? Date.now;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  async run(plugin: AnyPlugin, rawArgs: unknown, signal: AbortSignal, options: RunOptions = {}): Promise<PluginRunResult> {
    const key = plugin.category === 'diagnostic' && !options.fresh ? cacheKey(plugin, rawArgs) : undefined;
    if (key === undefined) return this.observed(plugin, runPlugin(plugin, rawArgs, this.context(plugin, signal, options.logger)));
    signal.throwIfAborted();
    const cached = this.lookup(key);
    if (cached) this.hits++;
    else this.misses++;
    const entry = cached ?? this.start(key, plugin, rawArgs, options.logger);
    return { ...(await this.wait(key, entry, signal)) };
  }

  stats(): RunnerStats {
    return { hits: this.hits, misses: this.misses, entries: this.cache.size };
  }

  private lookup(key: string): Entry | undefined {
    const entry = this.cache.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.clock()) {
      this.cache.delete(key);
      return undefined;
    }
    return entry;
  }

  /** The run has its own signal: one caller giving up must not cancel it for the others. */
  private start(key: string, plugin: AnyPlugin, rawArgs: unknown, logger: Logger | undefined): Entry {
    const controller = new AbortController();
    const running: Promise<PluginRunResult> = this.observed(plugin, runPlugin(plugin, rawArgs, this.context(plugin, controller.signal, logger))).then(
      (result) => {
        this.settle(key, running, result);
        return result;
      },
      (error: unknown) => {
        this.forget(key, running);
        throw error;
      },
    );
    const entry: Entry = { running, controller, waiters: 0 };
    if (this.cache.size >= this.maxEntries) this.evictOldest();
    this.cache.set(key, entry);
    return entry;
  }

  private async wait(key: string, entry: Entry, signal: AbortSignal): Promise<PluginRunResult> {
    entry.waiters++;
    try {
      return await abortable(entry.running, signal);
    } finally {
      entry.waiters--;
      // Nobody is left to read the answer: stop the run rather than let it hold a connection.
      if (entry.waiters === 0 && entry.expiresAt === undefined && signal.aborted) {
        this.forget(key, entry.running);
        entry.controller.abort(signal.reason);
      }
    }
  }

  private settle(key: string, running: Promise<PluginRunResult>, result: PluginRunResult): void {
    const entry = this.cache.get(key);
    if (entry?.running !== running) return;
    if (result.status === 'error' || this.options.cacheTtlMs <= 0) this.cache.delete(key);
    else entry.expiresAt = this.clock() + this.options.cacheTtlMs;
  }

  private forget(key: string, running: Promise<PluginRunResult>): void {
    if (this.cache.get(key)?.running === running) this.cache.delete(key);
  }

  /** Maps keep insertion order. An evicted run still answers its waiters; it just is not shared further. */
  private evictOldest(): void {
    const oldest = this.cache.keys().next();
    if (!oldest.done) this.cache.delete(oldest.value);
  }

  private observed(plugin: AnyPlugin, run: Promise<PluginRunResult>): Promise<PluginRunResult> {
    const { onResult } = this.options;
    return onResult ? run.then((result) => (onResult(plugin, result), result)) : run;
  }

  private context(plugin: AnyPlugin, signal: AbortSignal, logger: Logger | undefined): PluginContext {
    const { targets, scrubber } = this.options;
    return { signal, logger: logger ?? this.options.logger.child({ plugin: plugin.id }), targets, scrubber };
  }
}

/** Undefined for args the plugin rejects (runPlugin answers those) or that have no canonical JSON. */
function cacheKey(plugin: AnyPlugin, rawArgs: unknown): string | undefined {
  const parsed = plugin.args.safeParse(rawArgs);
  if (!parsed.success) return undefined;
  try {
    return JSON.stringify([plugin.id, plugin.version, parsed.data], sortKeys);
  } catch {
    return undefined;
  }
}

/**
 * Canonical JSON: `{ a, b }` and `{ b, a }` are the same question. Throws for a Map, Set or class
 * instance, which JSON would flatten to `{}` and so make different questions look the same.
 */
function sortKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw new TypeError('No canonical JSON for this value');
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}


import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: from a lock grab or a chat send (milliseconds) up to a diagnosis loop (minutes). */
const SHORT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LONG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export type LarkOperation = 'send' | 'update';

/** A labelled gauge filled on each scrape: one sample per row. */
export interface GaugeRow<L extends string> {
  labels: Record<L, string>;
  value: number;
}

/**
 * Every metric of one app, in the app's own registry (never prom-client's global one), so two apps in
 * one process (tests) keep separate counts. Label values come from bounded sets: chart states, event
 * types, plugin ids, providers; never incident ids.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly transitions: Counter<'event' | 'to'>;
  readonly stepDuration: Histogram<'step'>;
  readonly llmDuration: Histogram<'provider' | 'model' | 'outcome'>;
  readonly llmTokens: Counter<'provider' | 'model' | 'direction'>;
  readonly llmErrors: Counter<'provider' | 'kind'>;
  readonly llmCost: Counter<'provider' | 'model'>;
  readonly pluginDuration: Histogram<'plugin' | 'category' | 'status'>;
  readonly larkRequests: Counter<'operation' | 'outcome'>;
  readonly larkThrottled: Counter<'operation'>;
  readonly lockWait: Histogram<'lock'>;
  private readonly collectErrors: Counter<'metric'>;
  /** Reads of this scrape still running: the error counter waits for them so a failure shows in the same scrape. */
  private readonly reads = new Set<Promise<unknown>>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.transitions = this.counter('aifixer_incident_transitions_total', ['event', 'to'],
      'Persisted incident transitions, by event type and target state.');
    this.stepDuration = this.histogram('aifixer_step_duration_seconds', ['step'], LONG_BUCKETS,
      'Time an incident spent in a working state (triaging, diagnosing, executing …) before it moved on.');
    this.llmDuration = this.histogram('aifixer_llm_request_duration_seconds', ['provider', 'model', 'outcome'], LONG_BUCKETS,
      'Model calls, retries and rate-limit waits included; outcome is success, cached, error or aborted.');
    this.llmTokens = this.counter('aifixer_llm_tokens_total', ['provider', 'model', 'direction'],
      'Tokens spent on model calls (cached answers spend none), by direction: input or output.');
    this.llmErrors = this.counter('aifixer_llm_errors_total', ['provider', 'kind'],
      'Model calls that failed, by error kind (LlmError, LlmUnavailableError, LlmSpendLimitError, other).');
    this.llmCost = this.counter('aifixer_llm_cost_usd_total', ['provider', 'model'],
      'US dollars spent on model calls at list prices (or LLM_PRICE_INPUT/OUTPUT); models without a known price add nothing.');
    this.pluginDuration = this.histogram('aifixer_plugin_run_duration_seconds', ['plugin', 'category', 'status'], LONG_BUCKETS,
      'Plugin runs (diagnostic and remediation) by plugin and result status; _count is the number of runs.');
    this.larkRequests = this.counter('aifixer_lark_requests_total', ['operation', 'outcome'],
      'Lark sends (new messages) and updates (card patches) that settled, retries done, by outcome: ok or error.');
    this.larkThrottled = this.counter('aifixer_lark_throttled_total', ['operation'],
      'Lark answers that said slow down (HTTP 429 or code 99991400); the request waited and was retried.');
    this.lockWait = this.histogram('aifixer_lock_wait_seconds', ['lock'], SHORT_BUCKETS,
      'Time from asking for a lock until holding it, by kind: incident (one writer per incident) or the key prefix.');
    this.collectErrors = new Counter({
      name: 'aifixer_metrics_collect_errors_total',
      help: 'Scrapes on which a metric read from elsewhere (the database) could not be read; that metric was left out.',
      labelNames: ['metric'],
      registers: [this.registry],
      // Every metric's collect starts in the same turn; one tick later this scrape's reads are all in the set.
      collect: async () => {
        await Promise.resolve();
        await Promise.allSettled([...this.reads]);
      },
    });
  }

  private counter<L extends string>(name: string, labelNames: readonly L[], help: string): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(name: string, labelNames: readonly L[], buckets: number[], help: string): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge read on each scrape, e.g. a queue length. */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** A labelled gauge whose rows are read on each scrape (a grouped count query); old rows are dropped. */
  gaugeRows<L extends string>(name: string, help: string, labelNames: readonly L[], read: () => Promise<GaugeRow<L>[]>): void {
    const { collectErrors: errors, reads } = this;
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      // A database that is down must not take the other metrics with it: this one is left out instead.
      async collect() {
        this.reset();
        const reading = read();
        reads.add(reading);
        try {
          for (const row of await reading) this.set(row.labels as Partial<Record<L, string>>, row.value);
        } catch {
          errors.inc({ metric: name });
        } finally {
          reads.delete(reading);
        }
      },
    });
  }

  /** A counter of a running total kept elsewhere (e.g. an LLM client's retries), raised by what it grew since the last scrape. */
  total(name: string, help: string, read: () => number): void {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        const now = read();
        if (now > seen) this.inc(now - seen);
        seen = Math.max(seen, now);
      },
    });
  }

  observePlugin(plugin: { id: string; category: string }, result: { status: string; elapsedMs: number }): void {
    this.pluginDuration.observe({ plugin: plugin.id, category: plugin.category, status: result.status }, result.elapsedMs / 1_000);
  }

  /** For LarkChat's send queue. */
  larkObserver() {
    return {
      settled: (operation: LarkOperation, ok: boolean) => this.larkRequests.inc({ operation, outcome: ok ? 'ok' : 'error' }),
      throttled: (operation: LarkOperation) => this.larkThrottled.inc({ operation }),
    };
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

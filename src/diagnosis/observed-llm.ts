import { LlmError } from './llm-errors';
import type { ChatRequest, ChatResponse, LlmPort } from './llm-port';
import { costOf, priceOf, type Price } from './pricing';
import { ResilientLlm } from './resilient-llm';
import type { Metrics } from '../observability/metrics';

/** An LlmPort that measures every call it passes on: latency, tokens, cost and errors. */
export class ObservedLlm implements LlmPort {
  readonly provider: string;
  readonly model: string;

  private readonly price: Price | undefined;

  constructor(
    private readonly inner: LlmPort,
    private readonly metrics: Metrics,
    priceOverride?: Partial<Price>,
  ) {
    this.provider = inner.provider;
    this.model = inner.model;
    this.price = priceOf(inner.model, priceOverride);
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const { provider, model } = this;
    const stop = this.metrics.llmDuration.startTimer({ provider, model });
    try {
      const response = await this.inner.chat(request);
      stop({ outcome: response.cached ? 'cached' : 'success' });
      if (!response.cached) {
        this.metrics.llmTokens.inc({ provider, model, direction: 'input' }, response.usage.inputTokens);
        this.metrics.llmTokens.inc({ provider, model, direction: 'output' }, response.usage.outputTokens);
        const cost = costOf(response.usage, this.price);
        if (cost !== undefined) this.metrics.llmCost.inc({ provider, model }, cost);
      }
      return response;
    } catch (error) {
      // Leaving the state cancels the call: that is not the provider failing.
      if (request.signal?.aborted) {
        stop({ outcome: 'aborted' });
      } else {
        stop({ outcome: 'error' });
        this.metrics.llmErrors.inc({ provider, kind: error instanceof LlmError ? error.name : 'other' });
      }
      throw error;
    }
  }
}

/** The model port with its metrics; a resilient client's retries and circuit state are read on scrape too. */
export function observeLlm(llm: LlmPort | undefined, metrics: Metrics | undefined, priceOverride?: Partial<Price>): LlmPort | undefined {
  if (!llm || !metrics) return llm;
  if (llm instanceof ResilientLlm) {
    metrics.total('aifixer_llm_retries_total', 'Model call attempts retried after a retryable failure (timeouts, 429, 5xx, overloaded).', () => llm.stats().retries);
    metrics.gauge('aifixer_llm_circuit_open', '1 while the model circuit breaker refuses calls (open or half-open), else 0.', () => (llm.stats().breaker === 'closed' ? 0 : 1));
  }
  return new ObservedLlm(llm, metrics, priceOverride);
}

import { LlmError } from '../llm-errors';
import { abortReason } from '../resilience/clock';

/**
 * How long the provider asked us to wait: `retry-after-ms` (OpenAI), else `retry-after` in seconds or as
 * an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1_000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Statuses worth retrying (as the SDKs' own retry logic has it), unless the server says otherwise. */
export function isRetryableStatus(status: number, headers: Headers | undefined): boolean {
  const hint = headers?.get('x-should-retry');
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The caller's abort propagates as the signal's reason (an AbortError or TimeoutError), as fetch does. */
export function rethrowIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/** The SDK could not read the body as JSON, or the JSON lacks what every response has. */
export function malformed(provider: string, what: string): LlmError {
  return new LlmError(`${provider} returned a malformed response: ${what}`, false);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

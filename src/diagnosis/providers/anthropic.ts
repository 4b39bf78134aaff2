import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { LlmError, LlmSpendLimitError } from '../llm-errors';
import type { ChatRequest, ChatResponse, LlmPort } from '../llm-port';
import { fromAnthropicMessage, toAnthropicMessages, toAnthropicTools } from './anthropic-wire';
import { isRetryableStatus, malformed, parseRetryAfter, rethrowIfAborted } from './provider-errors';

export interface AnthropicLlmOptions {
  apiKey: string;
  /** Default https://api.anthropic.com; tests point it at a local fake. */
  baseURL?: string;
  model: string;
  /** The SDK's own per-request timeout. Default 60 s (the SDK's is 10 minutes). */
  timeoutMs?: number;
}

/** Account-level refusals that retrying cannot fix (error.details.error_code, SDK 1.x). */
const SPEND_LIMIT_CODES = new Set([
  'contract_spend_limit_reached',
  'enforced_spend_limit_reached',
  'linked_organization_spend_limit_reached',
  'linked_organization_billing_unavailable',
]);

/**
 * Claude through the Messages API. One attempt per call (`maxRetries: 0`): ResilientLlm owns retries.
 * API version 2026-10-21 (SDK 1.x) rejects temperature/top_p/top_k even at defaults, so
 * `request.temperature` is not sent; the SDK sends the key as `Authorization: Bearer`.
 */
export class AnthropicLlm implements LlmPort {
  readonly provider = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;

  constructor(options: AnthropicLlmOptions) {
    this.model = options.model;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs ?? 60_000,
      maxRetries: 0,
    });
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    let raw: unknown;
    try {
      raw = await this.client.messages.create(
        {
          model: this.model,
          max_tokens: request.maxTokens,
          ...(request.system ? { system: request.system } : {}),
          messages: toAnthropicMessages(request.messages),
          ...(request.tools?.length ? { tools: toAnthropicTools(request.tools) } : {}),
        },
        { signal: request.signal },
      );
    } catch (error) {
      rethrowIfAborted(request.signal);
      throw toLlmError(error);
    }
    const response = fromAnthropicMessage(raw, this.model);
    if (response instanceof LlmError) throw response;
    return response;
  }
}

/** SDK errors in the port's terms: spend limit, retryable (429, 529, 5xx, network), or not. */
export function toLlmError(error: unknown): LlmError {
  if (error instanceof APIConnectionTimeoutError) return new LlmError('anthropic request timed out', true);
  if (error instanceof APIConnectionError) return new LlmError(`anthropic connection failed: ${causeOf(error)}`, true);
  if (error instanceof APIError) return fromStatusError(error as APIError);
  if (error instanceof SyntaxError) return malformed('anthropic', `body is not JSON (${error.message})`);
  return new LlmError(`anthropic call failed: ${error instanceof Error ? error.message : String(error)}`, false);
}

function fromStatusError(error: APIError): LlmError {
  const { status, headers } = error;
  if (status === undefined) return new LlmError(`anthropic call failed: ${error.message}`, false);
  const message = `${status} ${error.type ?? 'error'}: ${error.apiMessage ?? error.message}`;
  if (isSpendLimit(error)) return new LlmSpendLimitError(`anthropic spend limit: ${message}`, { status });
  return new LlmError(`anthropic ${message}`, isRetryableStatus(status, headers), { status, retryAfterMs: parseRetryAfter(headers) });
}

function isSpendLimit(error: APIError): boolean {
  if (error.type === 'billing_error' || error.status === 402) return true;
  if (error.errorCode && SPEND_LIMIT_CODES.has(error.errorCode)) return true;
  // Out of prepaid credit still arrives as a plain 400 invalid_request_error; only the wording tells.
  return error.status === 400 && /credit balance/i.test(error.apiMessage ?? '');
}

function causeOf(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error ? `${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ''}` : error.message;
}

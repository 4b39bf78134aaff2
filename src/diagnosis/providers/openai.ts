import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { LlmError, LlmSpendLimitError } from '../llm-errors';
import type { ChatRequest, ChatResponse, LlmPort } from '../llm-port';
import { fromOpenAiCompletion, toOpenAiMessages, toOpenAiTools } from './openai-wire';
import { isRecord, isRetryableStatus, malformed, parseRetryAfter, rethrowIfAborted } from './provider-errors';

export interface OpenAiLlmOptions {
  /** Local servers (Ollama, vLLM) ignore it, but the SDK requires one: pass any placeholder. */
  apiKey: string;
  /** Default https://api.openai.com/v1; or an OpenAI-compatible server (Ollama, vLLM, DeepSeek). */
  baseURL?: string;
  model: string;
  timeoutMs?: number;
  /**
   * OpenAI deprecated `max_tokens` and its reasoning models reject it; many compatible servers only know
   * `max_tokens`. Default: `max_completion_tokens` for api.openai.com, `max_tokens` elsewhere.
   */
  tokenLimitField?: 'max_tokens' | 'max_completion_tokens';
}

/** Quota and billing refusals (error.code or error.type); DeepSeek says 402 "Insufficient Balance". */
const SPEND_LIMIT_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active']);

/** GPT-5 and o-series models accept only the default temperature. */
const REASONING_MODEL = /^(o\d|gpt-5)/i;

function isOfficialOpenAi(baseURL: string | undefined): boolean {
  return !baseURL || new URL(baseURL).hostname === 'api.openai.com';
}

/** Chat Completions with function tools. One attempt per call (`maxRetries: 0`): ResilientLlm owns retries. */
export class OpenAiLlm implements LlmPort {
  readonly provider = 'openai';
  readonly model: string;
  private readonly client: OpenAI;
  private readonly tokenLimitField: 'max_tokens' | 'max_completion_tokens';

  constructor(options: OpenAiLlmOptions) {
    this.model = options.model;
    this.tokenLimitField = options.tokenLimitField ?? (isOfficialOpenAi(options.baseURL) ? 'max_completion_tokens' : 'max_tokens');
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs ?? 60_000, maxRetries: 0 });
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    let raw: unknown;
    try {
      raw = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: toOpenAiMessages(request.system, request.messages),
          ...(request.tools?.length ? { tools: toOpenAiTools(request.tools) } : {}),
          [this.tokenLimitField]: request.maxTokens,
          ...(REASONING_MODEL.test(this.model) ? {} : { temperature: request.temperature ?? 0 }),
        },
        { signal: request.signal },
      );
    } catch (error) {
      rethrowIfAborted(request.signal);
      throw toOpenAiLlmError(error);
    }
    const response = fromOpenAiCompletion(raw, this.model);
    if (response instanceof LlmError) throw response;
    return response;
  }
}

/** SDK errors in the port's terms (shared with the embedder). */
export function toOpenAiLlmError(error: unknown): LlmError {
  if (error instanceof APIConnectionTimeoutError) return new LlmError('openai request timed out', true);
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return new LlmError(`openai connection failed: ${cause}`, true);
  }
  if (error instanceof APIError) return fromStatusError(error as APIError);
  if (error instanceof SyntaxError) return malformed('openai', `body is not JSON (${error.message})`);
  return new LlmError(`openai call failed: ${error instanceof Error ? error.message : String(error)}`, false);
}

function fromStatusError(error: APIError): LlmError {
  const { status, headers } = error;
  if (status === undefined) return new LlmError(`openai call failed: ${error.message}`, false);
  const body: unknown = error.error;
  const apiMessage = isRecord(body) && typeof body.message === 'string' ? body.message : error.message;
  const kind = error.code ?? error.type;
  const message = `${status}${kind ? ` ${kind}` : ''}: ${apiMessage}`;
  if (status === 402 || SPEND_LIMIT_CODES.has(error.code ?? '') || SPEND_LIMIT_CODES.has(error.type ?? '')) {
    return new LlmSpendLimitError(`openai spend limit: ${message}`, { status });
  }
  return new LlmError(`openai ${message}`, isRetryableStatus(status, headers), { status, retryAfterMs: parseRetryAfter(headers) });
}

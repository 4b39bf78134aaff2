/**
 * The one port every model provider implements: a multi-turn chat in which the model may call tools.
 * Provider adapters (src/diagnosis/providers) translate it to their wire format; nothing else knows a
 * provider's message shapes.
 */

/** A tool the model may call; `inputSchema` is a JSON Schema object (from the plugin's zod args). */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolCall {
  /** The provider's id for this call; results refer back to it. */
  id: string;
  name: string;
  input: Record<string, unknown>;
  /**
   * Set when the provider sent arguments that are not a JSON object (OpenAI-compatible servers send them
   * as a string); `input` is then `{}`. Answer with an isError result so the model can try again.
   */
  inputError?: string;
}

export interface ToolResult {
  callId: string;
  /** What the model sees: text (usually JSON), already redacted. */
  content: string;
  isError?: boolean;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; text: string; toolCalls: ToolCall[] }
  | { role: 'tool'; results: ToolResult[] };

export interface ChatRequest {
  system: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens: number;
  /** Defaults to 0: diagnoses should be reproducible. */
  temperature?: number;
  /** The step's signal: leaving the state cancels the call. */
  signal?: AbortSignal;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export type StopReason = 'end' | 'tool_use' | 'max_tokens' | 'other';

export interface ChatResponse {
  text: string;
  toolCalls: ToolCall[];
  stopReason: StopReason;
  usage: TokenUsage;
  /** The model that answered, as the provider names it. */
  model: string;
  /** Answered from the response cache: no tokens were spent on this call. */
  cached?: boolean;
}

export interface LlmPort {
  /** `anthropic`, `openai` or `offline`. */
  readonly provider: string;
  readonly model: string;
  chat(request: ChatRequest): Promise<ChatResponse>;
}

/** A single completion: one user message, no tools. */
export async function complete(llm: LlmPort, system: string, prompt: string, options: { maxTokens: number; signal?: AbortSignal }): Promise<string> {
  const response = await llm.chat({ system, messages: [{ role: 'user', content: prompt }], maxTokens: options.maxTokens, signal: options.signal });
  return response.text;
}

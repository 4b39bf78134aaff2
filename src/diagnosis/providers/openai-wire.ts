import type OpenAI from 'openai';
import type { LlmError } from '../llm-errors';
import type { ChatMessage, ChatResponse, StopReason, ToolCall, ToolSpec } from '../llm-port';
import { isRecord, malformed } from './provider-errors';

type MessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** Our turns as Chat Completions messages: one `tool` message per result, answering its tool_call_id. */
export function toOpenAiMessages(system: string, messages: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of messages) {
    if (message.role === 'user') out.push({ role: 'user', content: message.content });
    else if (message.role === 'assistant') {
      out.push({
        role: 'assistant',
        content: message.text || null,
        ...(message.toolCalls.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: JSON.stringify(call.input) },
              })),
            }
          : {}),
      });
    } else {
      // Chat Completions has no is_error flag: say so in the content.
      for (const result of message.results) {
        out.push({ role: 'tool', tool_call_id: result.callId, content: result.isError ? `Error: ${result.content}` : result.content });
      }
    }
  }
  return out;
}

export function toOpenAiTools(tools: ToolSpec[]): OpenAI.Chat.Completions.ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: { ...tool.inputSchema, type: 'object' } },
  }));
}

const STOP: Record<string, StopReason> = { stop: 'end', tool_calls: 'tool_use', length: 'max_tokens' };

/** Reads a ChatCompletion defensively; compatible servers differ in what they leave out. */
export function fromOpenAiCompletion(raw: unknown, fallbackModel: string): ChatResponse | LlmError {
  if (!isRecord(raw)) return malformed('openai', `expected a chat.completion object, got ${typeof raw}`);
  const choice: unknown = Array.isArray(raw.choices) ? raw.choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) return malformed('openai', 'missing choices[0].message');
  const { content, tool_calls: rawCalls } = choice.message;
  if (content !== null && content !== undefined && typeof content !== 'string') return malformed('openai', 'message content is not a string');
  const toolCalls: ToolCall[] = [];
  for (const call of Array.isArray(rawCalls) ? rawCalls : []) {
    if (!isRecord(call) || !isRecord(call.function)) return malformed('openai', 'a tool call has no function');
    const { name, arguments: args } = call.function;
    if (typeof call.id !== 'string' || typeof name !== 'string') return malformed('openai', 'a tool call lacks id or name');
    toolCalls.push({ id: call.id, name, ...parseArguments(args) });
  }
  const finish = typeof choice.finish_reason === 'string' ? choice.finish_reason : '';
  let stopReason = STOP[finish] ?? 'other';
  // Some compatible servers (older Ollama) finish tool-calling turns with "stop".
  if (stopReason === 'end' && toolCalls.length > 0) stopReason = 'tool_use';
  const usage = isRecord(raw.usage) ? raw.usage : {};
  return {
    text: content ?? '',
    toolCalls,
    stopReason,
    usage: { inputTokens: numberOr0(usage.prompt_tokens), outputTokens: numberOr0(usage.completion_tokens) },
    model: typeof raw.model === 'string' ? raw.model : fallbackModel,
  };
}

/**
 * Arguments arrive as a JSON string the model wrote. Unparseable ones do not fail the whole turn: the call
 * is kept with `{}` and `inputError`, so the agent can answer it with a tool error and the model can retry.
 */
function parseArguments(args: unknown): Pick<ToolCall, 'input' | 'inputError'> {
  if (isRecord(args)) return { input: args }; // a few servers send an object
  if (typeof args !== 'string' || args.trim() === '') return { input: {} };
  try {
    const parsed: unknown = JSON.parse(args);
    if (isRecord(parsed)) return { input: parsed };
    return { input: {}, inputError: `arguments are JSON but not an object: ${args.slice(0, 200)}` };
  } catch {
    return { input: {}, inputError: `arguments are not valid JSON: ${args.slice(0, 200)}` };
  }
}

const numberOr0 = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

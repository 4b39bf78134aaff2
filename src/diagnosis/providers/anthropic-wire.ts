import type Anthropic from '@anthropic-ai/sdk';
import type { LlmError } from '../llm-errors';
import type { ChatMessage, ChatResponse, StopReason, ToolCall, ToolSpec } from '../llm-port';
import { isRecord, malformed } from './provider-errors';

type ContentBlockParam = Anthropic.ContentBlockParam;

/**
 * Our turns as Messages API turns. Tool results travel as a user turn of tool_result blocks; adjacent user
 * turns are merged (the API wants alternating roles) with tool_result blocks first, as the API requires.
 */
export function toAnthropicMessages(messages: ChatMessage[]): Anthropic.MessageParam[] {
  const out: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  for (const message of messages) {
    const turn = toTurn(message);
    if (turn.content.length === 0) continue; // an empty assistant turn is a 400; it carries nothing anyway
    const last = out.at(-1);
    if (last && last.role === turn.role) last.content.push(...turn.content);
    else out.push(turn);
  }
  for (const turn of out) {
    if (turn.role === 'user') turn.content.sort((a, b) => rank(a) - rank(b)); // stable: keeps order within each kind
  }
  return out;
}

function toTurn(message: ChatMessage): { role: 'user' | 'assistant'; content: ContentBlockParam[] } {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content ? [{ type: 'text', text: message.content }] : [] };
    case 'assistant':
      return {
        role: 'assistant',
        content: [
          ...(message.text ? [{ type: 'text' as const, text: message.text }] : []),
          ...message.toolCalls.map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: call.input })),
        ],
      };
    case 'tool':
      return {
        role: 'user',
        content: message.results.map((result) => ({
          type: 'tool_result' as const,
          tool_use_id: result.callId,
          content: result.content,
          ...(result.isError ? { is_error: true } : {}),
        })),
      };
  }
}

const rank = (block: ContentBlockParam): number => (block.type === 'tool_result' ? 0 : 1);

export function toAnthropicTools(tools: ToolSpec[]): Anthropic.Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { ...tool.inputSchema, type: 'object' },
  }));
}

const STOP: Record<string, StopReason> = { end_turn: 'end', stop_sequence: 'end', tool_use: 'tool_use', max_tokens: 'max_tokens' };

/** Reads a Message defensively: the SDK types say what should arrive, not what did. */
export function fromAnthropicMessage(raw: unknown, fallbackModel: string): ChatResponse | LlmError {
  if (!isRecord(raw)) return malformed('anthropic', `expected a message object, got ${typeof raw}`);
  const { content, usage, stop_reason: stop } = raw;
  if (!Array.isArray(content)) return malformed('anthropic', 'missing content');
  if (!isRecord(usage) || typeof usage.output_tokens !== 'number') return malformed('anthropic', 'missing usage');
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of content) {
    if (!isRecord(block)) return malformed('anthropic', 'a content block is not an object');
    if (block.type === 'text') {
      if (typeof block.text !== 'string') return malformed('anthropic', 'a text block has no text');
      text += block.text;
    } else if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || typeof block.name !== 'string') return malformed('anthropic', 'a tool_use block lacks id or name');
      toolCalls.push({ id: block.id, name: block.name, input: isRecord(block.input) ? block.input : {} });
    }
    // thinking and server-tool blocks carry nothing the port models
  }
  return {
    text,
    toolCalls,
    stopReason: typeof stop === 'string' ? (STOP[stop] ?? 'other') : 'other',
    usage: { inputTokens: typeof usage.input_tokens === 'number' ? usage.input_tokens : 0, outputTokens: usage.output_tokens },
    model: typeof raw.model === 'string' ? raw.model : fallbackModel,
  };
}

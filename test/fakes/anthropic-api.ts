import { LlmFakeServer, Rejection } from './llm-fake-common';
import type { Answer, FakeReply, RecordedRequest } from './llm-fake-common';

type Block = Record<string, unknown> & { type?: unknown };
type Turn = { role: string; content: Block[] };

const VERSIONS = new Set(['2023-06-01', '2026-10-21']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

/** Errors as Anthropic sends them (status, error.type, wording from real responses). */
export const anthropicErrors = {
  rateLimited: (retryAfterSeconds: number): FakeReply => ({
    kind: 'error', status: 429, type: 'rate_limit_error',
    message: 'This request would exceed the rate limit for your organization of 50 requests per minute.',
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  overloaded: (): FakeReply => ({ kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' }),
  server: (): FakeReply => ({ kind: 'error', status: 500, type: 'api_error', message: 'Internal server error' }),
  creditTooLow: (): FakeReply => ({
    kind: 'error', status: 400, type: 'invalid_request_error',
    message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  }),
  billing: (): FakeReply => ({ kind: 'error', status: 402, type: 'billing_error', message: 'There is an issue with your billing or payment information.' }),
  spendLimit: (): FakeReply => ({
    kind: 'error', status: 429, type: 'rate_limit_error', code: 'enforced_spend_limit_reached',
    message: 'You have reached your specified API usage limits.',
  }),
  invalidKey: (): FakeReply => ({ kind: 'error', status: 401, type: 'authentication_error', message: 'invalid x-api-key' }),
};

/** POST /v1/messages, validated the way the Messages API (version 2026-10-21 or 2023-06-01) validates. */
export class FakeAnthropicApi extends LlmFakeServer {
  private ids = 0;

  protected baseURL(origin: string): string {
    return origin;
  }

  protected renderError(rejection: Rejection): Answer {
    return this.error(rejection.status, rejection.type, rejection.message, rejection.code);
  }

  protected answer(request: RecordedRequest): Answer {
    if (request.method !== 'POST' || request.path !== '/v1/messages') throw new Rejection(404, 'not_found_error', 'Not Found');
    const body = validate(request);
    const reply = this.next(request) ?? { kind: 'text', text: 'ok' };
    const model = typeof body.model === 'string' ? body.model : '';
    const usage = { input_tokens: Math.ceil(JSON.stringify(body.messages).length / 4), output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const message = (content: Block[], stop: string): Answer => {
      usage.output_tokens = Math.ceil(JSON.stringify(content).length / 4);
      return this.json(200, {
        id: `msg_fake_${++this.ids}`, type: 'message', role: 'assistant', model, content,
        stop_reason: stop, stop_sequence: null, stop_details: null, container: null, usage,
      }, { 'request-id': `req_fake_${this.ids}` });
    };
    switch (reply.kind) {
      case 'text':
        if (reply.usage) usage.input_tokens = reply.usage.input;
        return message([{ type: 'text', text: reply.text, citations: null }], reply.stop === 'max_tokens' ? 'max_tokens' : 'end_turn');
      case 'tool_calls':
        return message([
          ...(reply.text ? [{ type: 'text', text: reply.text, citations: null }] : []),
          ...reply.calls.map((call) => ({ type: 'tool_use', id: call.id ?? `toolu_fake_${++this.ids}`, name: call.name, input: call.input ?? {}, caller: { type: 'direct' } })),
        ], 'tool_use');
      case 'error':
        return this.error(reply.status, reply.type, reply.message, reply.code, reply.headers);
      case 'hang':
        return 'hang';
      case 'invalid_json':
        return { status: 200, body: reply.body, headers: { 'content-type': 'application/json' } };
      case 'json':
        return this.json(200, reply.body);
      case 'embeddings':
        throw new Error('the Anthropic fake has no embeddings endpoint');
    }
  }

  private error(status: number, type: string, message: string, code?: string, headers: Record<string, string> = {}): Answer {
    const requestId = `req_fake_${++this.ids}`;
    const error = { type, message, ...(code ? { details: { error_code: code } } : {}) };
    return this.json(status, { type: 'error', error, request_id: requestId }, { 'request-id': requestId, ...headers });
  }
}

const invalid = (message: string): Rejection => new Rejection(400, 'invalid_request_error', message);

function validate(request: RecordedRequest): Record<string, unknown> {
  const { headers } = request;
  const bearer = typeof headers.authorization === 'string' && /^Bearer \S+$/.test(headers.authorization);
  if (!headers['x-api-key'] && !bearer) throw new Rejection(401, 'authentication_error', 'x-api-key header is required');
  const version = headers['anthropic-version'];
  if (typeof version !== 'string') throw invalid('anthropic-version: header is required');
  if (!VERSIONS.has(version)) throw invalid(`anthropic-version: invalid version ${version}`);
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('The request body must be a JSON object.');
  const fields = body as Record<string, unknown>;
  if (typeof fields.model !== 'string' || !fields.model) throw invalid('model: Field required');
  if (!Number.isInteger(fields.max_tokens) || (fields.max_tokens as number) < 0) throw invalid('max_tokens: Field required');
  if (version === '2026-10-21') {
    for (const name of ['temperature', 'top_p', 'top_k']) if (name in fields) throw invalid(`${name}: Extra inputs are not permitted`);
  }
  validateTools(fields.tools);
  validateMessages(fields.messages);
  return fields;
}

function validateTools(tools: unknown): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) throw invalid('tools: Input should be a valid list');
  const names = new Set<string>();
  tools.forEach((tool: Record<string, unknown>, i) => {
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) throw invalid(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
    const schema = tool.input_schema as Record<string, unknown> | undefined;
    if (!schema || schema.type !== 'object') throw invalid(`tools.${i}.custom.input_schema.type: Input should be 'object'`);
    if (names.has(tool.name)) throw invalid('tools: Tool names must be unique.');
    names.add(tool.name);
  });
}

function validateMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0) throw invalid('messages: Field required');
  // The API combines consecutive turns of one role before checking tool use.
  const turns: Turn[] = [];
  messages.forEach((message: Record<string, unknown>, i) => {
    if (message.role !== 'user' && message.role !== 'assistant') throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    const content: Block[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (message.content as Block[]);
    if (!Array.isArray(content)) throw invalid(`messages.${i}.content: Input should be a valid list`);
    for (const block of content) if (block.type === 'text' && !block.text) throw invalid('messages: text content blocks must be non-empty');
    const last = turns.at(-1);
    if (last?.role === message.role) last.content.push(...content);
    else turns.push({ role: message.role, content: [...content] });
  });
  turns.forEach((turn, i) => {
    const previous = turns[i - 1];
    const results = turn.content.filter((block) => block.type === 'tool_result');
    if (turn.role === 'user' && results.length > 0) {
      const offered = new Set((previous?.content ?? []).filter((b) => b.type === 'tool_use').map((b) => b.id));
      const stray = results.find((block) => !offered.has(block.tool_use_id));
      if (stray) {
        throw invalid(`messages.${i}.content.${turn.content.indexOf(stray)}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(stray.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
      }
      const firstOther = turn.content.findIndex((b) => b.type !== 'tool_result');
      if (firstOther !== -1 && firstOther < turn.content.findLastIndex((b) => b.type === 'tool_result')) {
        throw invalid(`messages.${i}: \`tool_result\` blocks must come first in the content of a user message, before any other content.`);
      }
    }
    if (turn.role === 'assistant') {
      const answered = new Set((turns[i + 1]?.content ?? []).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id));
      const missing = turn.content.filter((b) => b.type === 'tool_use' && !answered.has(b.id)).map((b) => String(b.id));
      if (missing.length > 0) {
        throw invalid(`messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
      }
    }
  });
  if (turns.at(-1)?.role !== 'user') throw invalid('This model does not support assistant message prefill. The conversation must end with a user message.');
}

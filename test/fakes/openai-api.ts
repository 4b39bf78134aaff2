import { createHash } from 'node:crypto';
import { LlmFakeServer, Rejection } from './llm-fake-common';
import type { Answer, FakeReply, RecordedRequest } from './llm-fake-common';

type Fields = Record<string, unknown>;

const REASONING_MODEL = /^(o\d|gpt-5)/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const NATIVE_DIMENSIONS: Record<string, number> = { 'text-embedding-3-small': 1536, 'text-embedding-3-large': 3072, 'text-embedding-ada-002': 1536 };

/** Errors as OpenAI sends them. */
export const openAiErrors = {
  rateLimited: (headers: Record<string, string>): FakeReply => ({
    kind: 'error', status: 429, type: 'requests', code: 'rate_limit_exceeded',
    message: 'Rate limit reached for gpt-5.4-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.', headers,
  }),
  insufficientQuota: (): FakeReply => ({
    kind: 'error', status: 429, type: 'insufficient_quota', code: 'insufficient_quota',
    message: 'You exceeded your current quota, please check your plan and billing details.',
  }),
  server: (): FakeReply => ({ kind: 'error', status: 500, type: 'server_error', message: 'The server had an error while processing your request. Sorry about that!' }),
  unavailable: (): FakeReply => ({ kind: 'error', status: 503, type: 'server_error', message: 'The engine is currently overloaded, please try again later.' }),
};

/** Unit vector of `dimensions` floats derived from the text: equal texts embed equally. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block += 1) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i + 4 <= digest.length && values.length < dimensions; i += 4) values.push(digest.readUInt32BE(i) / 0xffffffff - 0.5);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => v / norm);
}

/** POST /v1/chat/completions and /v1/embeddings, validated as OpenAI validates them. */
export class FakeOpenAiApi extends LlmFakeServer {
  private ids = 0;

  protected baseURL(origin: string): string {
    return `${origin}/v1`;
  }

  protected renderError(rejection: Rejection): Answer {
    return this.error(rejection.status, rejection.type, rejection.message, rejection.code);
  }

  protected answer(request: RecordedRequest): Answer {
    const auth = request.headers.authorization;
    if (typeof auth !== 'string' || !/^Bearer \S+$/.test(auth)) {
      throw new Rejection(401, 'invalid_request_error', "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.");
    }
    if (request.method === 'POST' && request.path === '/v1/chat/completions') return this.chat(request, validateChat(request.body));
    if (request.method === 'POST' && request.path === '/v1/embeddings') return this.embeddings(request, validateEmbeddings(request.body));
    throw new Rejection(404, 'invalid_request_error', `Invalid URL (${request.method} ${request.path})`);
  }

  private chat(request: RecordedRequest, body: Fields): Answer {
    const reply = this.next(request) ?? { kind: 'text', text: 'ok' };
    const completion = (message: Fields, finish: string, input = Math.ceil(JSON.stringify(body.messages).length / 4)): Answer => {
      const output = Math.ceil(JSON.stringify(message).length / 4);
      return this.json(200, {
        id: `chatcmpl-fake-${++this.ids}`, object: 'chat.completion', created: 1_700_000_000, model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', refusal: null, annotations: [], ...message }, finish_reason: finish, logprobs: null }],
        usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
      }, { 'x-request-id': `req_fake_${this.ids}` });
    };
    switch (reply.kind) {
      case 'text':
        return completion({ content: reply.text }, reply.stop === 'max_tokens' ? 'length' : 'stop', reply.usage?.input);
      case 'tool_calls':
        return completion({
          content: reply.text ?? null,
          tool_calls: reply.calls.map((call) => ({
            id: call.id ?? `call_fake_${++this.ids}`, type: 'function',
            function: { name: call.name, arguments: call.rawArguments ?? JSON.stringify(call.input ?? {}) },
          })),
        }, 'tool_calls');
      case 'embeddings':
        throw new Error('an embeddings reply was scripted for a chat completion');
      default:
        return this.common(reply);
    }
  }

  private embeddings(request: RecordedRequest, body: Fields): Answer {
    const reply = this.next(request) ?? { kind: 'embeddings', dimensions: 0 };
    if (reply.kind === 'text' || reply.kind === 'tool_calls') throw new Error('a chat reply was scripted for embeddings');
    if (reply.kind !== 'embeddings') return this.common(reply);
    const model = String(body.model);
    const dimensions = reply.dimensions || (body.dimensions as number | undefined) || NATIVE_DIMENSIONS[model] || 768;
    const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
    const data = inputs.map((text, index) => {
      const vector = fakeEmbedding(text, dimensions);
      const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    const tokens = inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    return this.json(200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  private common(reply: Exclude<FakeReply, { kind: 'text' | 'tool_calls' | 'embeddings' }>): Answer {
    switch (reply.kind) {
      case 'error':
        return this.error(reply.status, reply.type, reply.message, reply.code, reply.headers);
      case 'hang':
        return 'hang';
      case 'invalid_json':
        return { status: 200, body: reply.body, headers: { 'content-type': 'application/json' } };
      case 'json':
        return this.json(200, reply.body);
    }
  }

  private error(status: number, type: string, message: string, code?: string, headers: Record<string, string> = {}): Answer {
    return this.json(status, { error: { message, type, param: null, code: code ?? null } }, { 'x-request-id': `req_fake_${++this.ids}`, ...headers });
  }
}

const invalid = (message: string, code?: string): Rejection => new Rejection(400, 'invalid_request_error', message, code);

function fieldsOf(body: unknown): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('The request body must be a JSON object.');
  const fields = body as Fields;
  if (typeof fields.model !== 'string' || !fields.model) throw invalid('you must provide a model parameter');
  return fields;
}

function validateChat(body: unknown): Fields {
  const fields = fieldsOf(body);
  const model = fields.model as string;
  if (REASONING_MODEL.test(model)) {
    if ('max_tokens' in fields) throw invalid("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'unsupported_parameter');
    if ('temperature' in fields && fields.temperature !== 1) {
      throw invalid(`Unsupported value: 'temperature' does not support ${String(fields.temperature)} with this model. Only the default (1) value is supported.`, 'unsupported_value');
    }
  }
  if (fields.tools !== undefined) {
    if (!Array.isArray(fields.tools)) throw invalid("Invalid type for 'tools': expected an array.");
    fields.tools.forEach((tool: Fields, i) => {
      const fn = tool.function as Fields | undefined;
      if (tool.type !== 'function' || !fn) throw invalid(`Missing required parameter: 'tools[${i}].function'.`);
      if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) {
        throw invalid(`Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`);
      }
    });
  }
  validateMessages(fields.messages);
  return fields;
}

function validateMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0) throw invalid("[] is too short - 'messages'");
  let pending: Set<string> | undefined; // tool_call ids of the last assistant turn not yet answered
  let pendingAt = -1;
  messages.forEach((message: Fields, i) => {
    if (message.role === 'tool') {
      if (!pending) throw invalid("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.");
      const id = message.tool_call_id;
      if (typeof id !== 'string' || !pending.has(id)) throw invalid(`Invalid parameter: 'tool_call_id' of '${String(id)}' not found in 'tool_calls' of previous message.`);
      if (typeof message.content !== 'string' && !Array.isArray(message.content)) throw invalid(`Missing required parameter: 'messages[${i}].content'.`);
      pending.delete(id);
      return;
    }
    if (pending && pending.size > 0) {
      throw invalid(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`);
    }
    pending = undefined;
    if (!['system', 'developer', 'user', 'assistant'].includes(String(message.role))) throw invalid(`Invalid value: '${String(message.role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`);
    if (message.role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
      for (const call of message.tool_calls as Fields[]) {
        const fn = call.function as Fields | undefined;
        if (typeof call.id !== 'string' || typeof fn?.name !== 'string' || typeof fn.arguments !== 'string') {
          throw invalid(`Missing required parameter: 'messages[${i}].tool_calls[0].function.arguments'.`);
        }
      }
      pending = new Set((message.tool_calls as Fields[]).map((call) => call.id as string));
      pendingAt = i;
    } else if (message.content === undefined || message.content === null) {
      if (message.role !== 'assistant') throw invalid(`Invalid value for 'content': expected a string, got null.`);
    }
  });
  if (pending && pending.size > 0) {
    throw invalid(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')} (messages[${pendingAt}])`);
  }
}

function validateEmbeddings(body: unknown): Fields {
  const fields = fieldsOf(body);
  const input = fields.input;
  const texts = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(texts) || texts.length === 0 || !texts.every((t) => typeof t === 'string' && t.length > 0)) {
    throw invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.");
  }
  if (fields.dimensions !== undefined) {
    if (!String(fields.model).startsWith('text-embedding-3')) throw invalid('This model does not support specifying dimensions.');
    if (!Number.isInteger(fields.dimensions) || (fields.dimensions as number) < 1) throw invalid("Invalid 'dimensions': integer below minimum value.");
  }
  if (fields.encoding_format !== undefined && fields.encoding_format !== 'float' && fields.encoding_format !== 'base64') {
    throw invalid("Invalid value for 'encoding_format': must be 'float' or 'base64'.");
  }
  return fields;
}

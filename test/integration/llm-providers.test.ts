import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmError, LlmSpendLimitError } from '../../src/diagnosis/llm-errors';
import type { ChatMessage } from '../../src/diagnosis/llm-port';
import { AnthropicLlm } from '../../src/diagnosis/providers/anthropic';
import { anthropicErrors, FakeAnthropicApi } from '../fakes/anthropic-api';
import { hang, text, toolCalls } from '../fakes/llm-fake-common';
import type { FakeReply } from '../fakes/llm-fake-common';
import { ask, closedPortURL, tools } from './llm-test-support';

describe('AnthropicLlm through the real SDK against a fake Messages API', () => {
  const fake = new FakeAnthropicApi();
  let llm: AnthropicLlm;

  beforeAll(async () => {
    const { baseURL } = await fake.start();
    llm = new AnthropicLlm({ apiKey: 'sk-ant-test', baseURL, model: 'claude-sonnet-5-5', timeoutMs: 10_000 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('answers text, sending a request the Messages API accepts (no temperature under 2026-10-21)', async () => {
    fake.enqueue(text('The disk of db-1 is full.'));
    const response = await llm.chat({ ...ask('Why is the API down?'), temperature: 0.2 });
    expect(response).toEqual({
      text: 'The disk of db-1 is full.',
      toolCalls: [],
      stopReason: 'end',
      usage: { inputTokens: expect.any(Number) as number, outputTokens: expect.any(Number) as number },
      model: 'claude-sonnet-5-5',
    });
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers.authorization).toBe('Bearer sk-ant-test');
    expect(request?.headers['anthropic-version']).toBe('2026-10-21');
    expect(request?.headers['x-stainless-retry-count']).toBe('0');
    expect(request?.body).toEqual({
      model: 'claude-sonnet-5-5',
      max_tokens: 512,
      system: 'You are the on-call engineer.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Why is the API down?' }] }],
      tools: tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema })),
    });
  });

  it('reports a max_tokens stop', async () => {
    fake.enqueue(text('The disk of', 'max_tokens'));
    expect((await llm.chat(ask('Why?'))).stopReason).toBe('max_tokens');
  });

  it('returns parallel tool calls, and the tool results go back in a form the API accepts', async () => {
    fake.enqueue(toolCalls({ name: 'query_metrics', input: { query: 'up{job="api"}' } }, { name: 'read_logs', input: { app: 'api' } }));
    const first = await llm.chat(ask('Why is the API down?'));
    expect(first.stopReason).toBe('tool_use');
    expect(first.toolCalls.map((c) => [c.name, c.input])).toEqual([
      ['query_metrics', { query: 'up{job="api"}' }],
      ['read_logs', { app: 'api' }],
    ]);
    const [metrics, logs] = first.toolCalls;
    fake.enqueue(text('db-1 is out of disk.'));
    const history: ChatMessage[] = [
      { role: 'assistant', text: first.text, toolCalls: first.toolCalls },
      { role: 'tool', results: [{ callId: metrics?.id ?? '', content: '{"value":0}' }, { callId: logs?.id ?? '', content: 'permission denied', isError: true }] },
    ];
    const second = await llm.chat(ask('Why is the API down?', history));
    expect(second.text).toBe('db-1 is out of disk.');
    const body = fake.requests[1]?.body as { messages: unknown[] };
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: metrics?.id, name: 'query_metrics', input: { query: 'up{job="api"}' } },
          { type: 'tool_use', id: logs?.id, name: 'read_logs', input: { app: 'api' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: metrics?.id, content: '{"value":0}' },
          { type: 'tool_result', tool_use_id: logs?.id, content: 'permission denied', is_error: true },
        ],
      },
    ]);
  });

  it('merges a note after tool results into one user turn, results first', async () => {
    fake.enqueue(text('ok'));
    await llm.chat(
      ask('Why?', [
        { role: 'assistant', text: 'Checking.', toolCalls: [{ id: 'toolu_1', name: 'read_logs', input: { app: 'api' } }] },
        { role: 'tool', results: [{ callId: 'toolu_1', content: 'disk full' }] },
        { role: 'user', content: 'Also check db-2.' },
      ]),
    );
    const body = fake.requests[0]?.body as { messages: { role: string; content: { type: string }[] }[] };
    expect(body.messages.map((m) => [m.role, m.content.map((b) => b.type)])).toEqual([
      ['user', ['text']],
      ['assistant', ['text', 'tool_use']],
      ['user', ['tool_result', 'text']],
    ]);
  });

  it('gets the real 400 for a tool result that answers no tool_use (the fake validates like the API)', async () => {
    const stray = llm.chat(ask('Why?', [{ role: 'tool', results: [{ callId: 'toolu_missing', content: 'x' }] }]));
    await expect(stray).rejects.toBeInstanceOf(LlmError);
    await expect(stray).rejects.toMatchObject({ retryable: false, details: { status: 400 }, message: expect.stringMatching(/unexpected `tool_use_id`/) as string });
  });

  const failures: [string, FakeReply, { cls: new (...args: never[]) => LlmError; retryable: boolean; status?: number; retryAfterMs?: number; message: RegExp }][] = [
    ['429 with retry-after', anthropicErrors.rateLimited(7), { cls: LlmError, retryable: true, status: 429, retryAfterMs: 7_000, message: /429 rate_limit_error/ }],
    ['529 overloaded', anthropicErrors.overloaded(), { cls: LlmError, retryable: true, status: 529, message: /529 overloaded_error: Overloaded/ }],
    ['500', anthropicErrors.server(), { cls: LlmError, retryable: true, status: 500, message: /500 api_error/ }],
    ['400 credit balance too low', anthropicErrors.creditTooLow(), { cls: LlmSpendLimitError, retryable: false, status: 400, message: /spend limit.*credit balance/ }],
    ['402 billing_error', anthropicErrors.billing(), { cls: LlmSpendLimitError, retryable: false, status: 402, message: /billing_error/ }],
    ['429 enforced spend limit', anthropicErrors.spendLimit(), { cls: LlmSpendLimitError, retryable: false, status: 429, message: /usage limits/ }],
    ['401 bad key', anthropicErrors.invalidKey(), { cls: LlmError, retryable: false, status: 401, message: /authentication_error/ }],
    ['a body that is not JSON', { kind: 'invalid_json', body: '{"type":"mess' }, { cls: LlmError, retryable: false, message: /malformed response: body is not JSON/ }],
    ['JSON without content', { kind: 'json', body: { type: 'message', role: 'assistant', usage: { input_tokens: 1, output_tokens: 1 } } }, { cls: LlmError, retryable: false, message: /malformed response: missing content/ }],
  ];

  it.each(failures)('maps %s', async (_name, reply, expected) => {
    fake.enqueue(reply);
    const error = await llm.chat(ask('Why?')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(expected.cls);
    expect(error).toMatchObject({ retryable: expected.retryable, message: expect.stringMatching(expected.message) as string });
    const details = (error as LlmError).details;
    expect(details.status).toBe(expected.status);
    if (expected.retryAfterMs !== undefined) expect(details.retryAfterMs).toBe(expected.retryAfterMs);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a refused connection to a retryable error', async () => {
    const offline = new AnthropicLlm({ apiKey: 'k', baseURL: await closedPortURL(), model: 'claude-sonnet-5-5' });
    await expect(offline.chat(ask('Why?'))).rejects.toMatchObject({ name: 'LlmError', retryable: true, message: expect.stringMatching(/connection/) as string });
  });

  it("propagates the caller's abort as an AbortError, not an LlmError", async () => {
    fake.enqueue(hang());
    const controller = new AbortController();
    const arrived = fake.nextRequest();
    const call = llm.chat({ ...ask('Why?'), signal: controller.signal });
    await arrived;
    controller.abort();
    const error = await call.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ name: 'AbortError' });
  });
});

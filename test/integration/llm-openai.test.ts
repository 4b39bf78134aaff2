import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmError, LlmSpendLimitError } from '../../src/diagnosis/llm-errors';
import type { ChatMessage } from '../../src/diagnosis/llm-port';
import { OpenAiLlm } from '../../src/diagnosis/providers/openai';
import { OpenAiEmbedder } from '../../src/diagnosis/providers/openai-embedder';
import { EMBEDDING_DIMENSIONS } from '../../src/store/entities/knowledge.entity';
import { hang, text, toolCalls } from '../fakes/llm-fake-common';
import { fakeEmbedding, FakeOpenAiApi, openAiErrors } from '../fakes/openai-api';
import { ask, tools } from './llm-test-support';

describe('OpenAiLlm through the real SDK against a fake Chat Completions API', () => {
  const fake = new FakeOpenAiApi();
  let baseURL: string;
  /** As against api.openai.com: a GPT-5 model, max_completion_tokens. */
  let gpt: OpenAiLlm;
  /** As against Ollama: a local model, max_tokens. */
  let local: OpenAiLlm;

  beforeAll(async () => {
    ({ baseURL } = await fake.start());
    gpt = new OpenAiLlm({ apiKey: 'sk-test', baseURL, model: 'gpt-5.4-mini', tokenLimitField: 'max_completion_tokens' });
    local = new OpenAiLlm({ apiKey: 'ollama', baseURL, model: 'llama3.1:8b' });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('answers text; a GPT-5 model gets max_completion_tokens and no temperature', async () => {
    fake.enqueue(text('The disk of db-1 is full.'));
    const response = await gpt.chat({ ...ask('Why is the API down?'), temperature: 0.2 });
    expect(response).toMatchObject({ text: 'The disk of db-1 is full.', toolCalls: [], stopReason: 'end', model: 'gpt-5.4-mini' });
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    const [request] = fake.requests;
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body).toEqual({
      model: 'gpt-5.4-mini',
      max_completion_tokens: 512,
      messages: [
        { role: 'system', content: 'You are the on-call engineer.' },
        { role: 'user', content: 'Why is the API down?' },
      ],
      tools: tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema } })),
    });
  });

  it('a compatible server gets max_tokens and temperature 0 by default', async () => {
    fake.enqueue(text('ok'));
    await local.chat(ask('Why?'));
    expect(fake.requests[0]?.body).toMatchObject({ model: 'llama3.1:8b', max_tokens: 512, temperature: 0 });
  });

  it('gets the real 400 when max_tokens goes to a GPT-5 model (the fake validates like the API)', async () => {
    const wrong = new OpenAiLlm({ apiKey: 'sk-test', baseURL, model: 'gpt-5.4-mini', tokenLimitField: 'max_tokens' });
    await expect(wrong.chat(ask('Why?'))).rejects.toMatchObject({ name: 'LlmError', retryable: false, message: expect.stringMatching(/400 unsupported_parameter/) as string });
  });

  it('returns parallel tool calls, and the tool results go back in a form the API accepts', async () => {
    fake.enqueue(toolCalls({ name: 'query_metrics', input: { query: 'up' } }, { name: 'read_logs', input: { app: 'api' } }));
    const first = await gpt.chat(ask('Why?'));
    expect(first.stopReason).toBe('tool_use');
    expect(first.toolCalls.map((c) => [c.name, c.input])).toEqual([['query_metrics', { query: 'up' }], ['read_logs', { app: 'api' }]]);
    const [metrics, logs] = first.toolCalls;
    const history: ChatMessage[] = [
      { role: 'assistant', text: '', toolCalls: first.toolCalls },
      { role: 'tool', results: [{ callId: metrics?.id ?? '', content: '{"value":0}' }, { callId: logs?.id ?? '', content: 'permission denied', isError: true }] },
    ];
    fake.enqueue(text('db-1 is out of disk.'));
    expect((await gpt.chat(ask('Why?', history))).text).toBe('db-1 is out of disk.');
    const body = fake.requests[1]?.body as { messages: unknown[] };
    expect(body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: metrics?.id, type: 'function', function: { name: 'query_metrics', arguments: '{"query":"up"}' } },
          { id: logs?.id, type: 'function', function: { name: 'read_logs', arguments: '{"app":"api"}' } },
        ],
      },
      { role: 'tool', tool_call_id: metrics?.id, content: '{"value":0}' },
      { role: 'tool', tool_call_id: logs?.id, content: 'Error: permission denied' },
    ]);
  });

  it('gets the real 400 when a tool call is left unanswered', async () => {
    const history: ChatMessage[] = [{ role: 'assistant', text: '', toolCalls: [{ id: 'call_1', name: 'read_logs', input: {} }] }, { role: 'user', content: 'and?' }];
    await expect(gpt.chat(ask('Why?', history))).rejects.toMatchObject({ message: expect.stringMatching(/did not have response messages: call_1/) as string });
  });

  it('keeps a call whose arguments are not JSON, with inputError, so the model can be told', async () => {
    fake.enqueue(toolCalls({ id: 'call_bad', name: 'read_logs', rawArguments: '{"app": "api"' }));
    const [call] = (await gpt.chat(ask('Why?'))).toolCalls;
    expect(call).toEqual({ id: 'call_bad', name: 'read_logs', input: {}, inputError: expect.stringMatching(/not valid JSON/) as string });
  });

  it('treats tool calls that finish with "stop" (older Ollama) as tool use', async () => {
    const message = { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_logs', arguments: '{"app":"api"}' } }] };
    fake.enqueue({ kind: 'json', body: { id: 'x', object: 'chat.completion', model: 'llama3.1:8b', choices: [{ index: 0, message, finish_reason: 'stop' }] } });
    const response = await local.chat(ask('Why?'));
    expect(response).toMatchObject({ stopReason: 'tool_use', usage: { inputTokens: 0, outputTokens: 0 } });
  });

  it('maps 429 with retry-after-ms, 5xx, quota and malformed bodies', async () => {
    fake.enqueue(
      openAiErrors.rateLimited({ 'retry-after-ms': '1500', 'retry-after': '2' }),
      openAiErrors.unavailable(),
      openAiErrors.insufficientQuota(),
      { kind: 'invalid_json', body: 'not json' },
      { kind: 'json', body: { id: 'x', object: 'chat.completion', choices: [] } },
    );
    const next = (): Promise<unknown> => gpt.chat(ask('Why?')).catch((e: unknown) => e);
    expect(await next()).toMatchObject({ name: 'LlmError', retryable: true, details: { status: 429, retryAfterMs: 1_500 } });
    expect(await next()).toMatchObject({ name: 'LlmError', retryable: true, details: { status: 503 } });
    const quota = await next();
    expect(quota).toBeInstanceOf(LlmSpendLimitError);
    expect(quota).toMatchObject({ retryable: false, message: expect.stringMatching(/429 insufficient_quota/) as string });
    expect(await next()).toMatchObject({ name: 'LlmError', retryable: false, message: expect.stringMatching(/malformed response: body is not JSON/) as string });
    expect(await next()).toMatchObject({ name: 'LlmError', retryable: false, message: expect.stringMatching(/malformed response: missing choices/) as string });
    expect(fake.requests).toHaveLength(5);
  });

  it("propagates the caller's abort as an AbortError, not an LlmError", async () => {
    fake.enqueue(hang());
    const controller = new AbortController();
    const arrived = fake.nextRequest();
    const call = gpt.chat({ ...ask('Why?'), signal: controller.signal });
    await arrived;
    controller.abort();
    const error = await call.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ name: 'AbortError' });
  });
});

describe('OpenAiEmbedder against the fake embeddings endpoint', () => {
  const fake = new FakeOpenAiApi();
  let embedder: OpenAiEmbedder;

  beforeAll(async () => {
    const { baseURL } = await fake.start();
    embedder = new OpenAiEmbedder({ apiKey: 'sk-test', baseURL, model: 'text-embedding-3-small', batchSize: 2 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('asks for the knowledge table’s dimensions and returns one vector per text, in order, across batches', async () => {
    const texts = ['disk full on db-1', 'oom killed: api', 'certificate expired'];
    const vectors = await embedder.embed(texts);
    expect(embedder.dimensions).toBe(EMBEDDING_DIMENSIONS);
    expect(vectors).toHaveLength(3);
    vectors.forEach((vector, i) => {
      expect(vector).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(vector).toEqual(fakeEmbedding(texts[i] ?? '', EMBEDDING_DIMENSIONS));
    });
    expect(fake.requests.map((r) => r.body)).toEqual([
      { model: 'text-embedding-3-small', input: texts.slice(0, 2), dimensions: EMBEDDING_DIMENSIONS, encoding_format: 'float' },
      { model: 'text-embedding-3-small', input: texts.slice(2), dimensions: EMBEDDING_DIMENSIONS, encoding_format: 'float' },
    ]);
  });

  it('sends nothing for no texts', async () => {
    expect(await embedder.embed([])).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('names both lengths when the server ignores `dimensions`', async () => {
    fake.enqueue({ kind: 'embeddings', dimensions: 1536 });
    await expect(embedder.embed(['disk full'])).rejects.toThrow(/returned vectors of 1536 dimensions, but the knowledge table stores 256/);
  });
});

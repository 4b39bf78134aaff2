import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmError, LlmSpendLimitError, LlmUnavailableError } from '../../src/diagnosis/llm-errors';
import { AnthropicLlm } from '../../src/diagnosis/providers/anthropic';
import { OpenAiLlm } from '../../src/diagnosis/providers/openai';
import { ResilientLlm } from '../../src/diagnosis/resilient-llm';
import type { ResilienceOptions } from '../../src/diagnosis/resilient-llm';
import { anthropicErrors, FakeAnthropicApi } from '../fakes/anthropic-api';
import { hang, text } from '../fakes/llm-fake-common';
import { FakeOpenAiApi, openAiErrors } from '../fakes/openai-api';
import { ask, fakeTime } from './llm-test-support';

/** ResilientLlm over the real adapters and SDKs, against the fakes; time is fake except for the HTTP itself. */
describe('ResilientLlm over AnthropicLlm against the fake Messages API', () => {
  const fake = new FakeAnthropicApi();
  let baseURL: string;
  let time: ReturnType<typeof fakeTime>;

  const resilient = (options: ResilienceOptions = {}): ResilientLlm =>
    new ResilientLlm(new AnthropicLlm({ apiKey: 'sk-ant-test', baseURL, model: 'claude-sonnet-5-5' }), {
      now: time.now, sleep: time.sleep, random: () => 0, cacheTtlMs: 0, ...options,
    });

  beforeAll(async () => {
    ({ baseURL } = await fake.start());
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    time = fakeTime();
  });

  it("honours a 429's retry-after, then answers", async () => {
    fake.enqueue(anthropicErrors.rateLimited(7), text('recovered'));
    expect((await resilient().chat(ask('q'))).text).toBe('recovered');
    expect(time.sleeps).toEqual([7_000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('retries 529 overloaded with exponential backoff', async () => {
    fake.enqueue(anthropicErrors.overloaded(), anthropicErrors.overloaded(), text('recovered'));
    expect((await resilient().chat(ask('q'))).text).toBe('recovered');
    expect(time.sleeps).toEqual([500, 1_000]);
    expect(fake.requests).toHaveLength(3);
  });

  it('says what happened when retries run out', async () => {
    fake.respond = () => anthropicErrors.overloaded();
    const error = await resilient({ maxRetries: 3 }).chat(ask('q')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toBe('anthropic unavailable after 4 attempts: anthropic 529 overloaded_error: Overloaded');
    expect(fake.requests).toHaveLength(4);
  });

  it('does not retry running out of credit', async () => {
    fake.enqueue(anthropicErrors.creditTooLow());
    await expect(resilient().chat(ask('q'))).rejects.toBeInstanceOf(LlmSpendLimitError);
    expect(fake.requests).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('does not retry a malformed response', async () => {
    fake.enqueue({ kind: 'invalid_json', body: '<html>bad gateway</html>' });
    const error = await resilient().chat(ask('q')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(/malformed/) as string });
    expect(fake.requests).toHaveLength(1);
  });

  it('times out a hanging provider on every attempt, then gives up', async () => {
    fake.respond = () => hang();
    const llm = resilient({ timeoutMs: 100, maxRetries: 2 });
    await expect(llm.chat(ask('q'))).rejects.toThrow('anthropic unavailable after 3 attempts: timed out after 0.1s');
    expect(fake.requests).toHaveLength(3);
  });

  it("stops at once when the caller aborts: one request, no retry, nothing counted", async () => {
    fake.enqueue(hang());
    const llm = resilient({ circuitFailures: 1 });
    const controller = new AbortController();
    const arrived = fake.nextRequest();
    const call = llm.chat({ ...ask('q'), signal: controller.signal });
    await arrived;
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.requests).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
    expect(llm.stats()).toMatchObject({ breaker: 'closed', failures: 0 });
  });

  it('opens the circuit after N failed calls: then no request reaches the provider until a trial succeeds', async () => {
    const llm = resilient({ maxRetries: 0, circuitFailures: 2, circuitCooldownMs: 60_000 });
    fake.respond = () => anthropicErrors.server();
    await expect(llm.chat(ask('a'))).rejects.toThrow(/unavailable after 1 attempt: anthropic 500/);
    await expect(llm.chat(ask('b'))).rejects.toThrow(/unavailable after 1 attempt/);
    await expect(llm.chat(ask('c'))).rejects.toThrow('anthropic circuit open after 2 consecutive failures, retry after 60s');
    time.advance(59_000);
    await expect(llm.chat(ask('d'))).rejects.toThrow('anthropic circuit open after 2 consecutive failures, retry after 1s');
    expect(fake.requests).toHaveLength(2);
    time.advance(1_000);
    fake.respond = () => text('back');
    expect((await llm.chat(ask('e'))).text).toBe('back');
    expect(fake.requests).toHaveLength(3);
    expect(llm.stats()).toMatchObject({ breaker: 'closed', breakerOpens: 1 });
  });

  it('answers an identical request from the cache: one request', async () => {
    const llm = resilient({ cacheTtlMs: 600_000 });
    fake.enqueue(text('disk full'));
    const first = await llm.chat(ask('q'));
    const second = await llm.chat(ask('q'));
    expect(second).toEqual({ ...first, cached: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('shares one request between identical concurrent calls', async () => {
    const llm = resilient({ cacheTtlMs: 0 });
    fake.enqueue(text('disk full'));
    const answers = await Promise.all([llm.chat(ask('q')), llm.chat(ask('q'))]);
    expect(answers.map((a) => a.text)).toEqual(['disk full', 'disk full']);
    expect(fake.requests).toHaveLength(1);
  });

  it('waits for a rate-limit slot rather than failing', async () => {
    const llm = resilient({ requestsPerMinute: 1, burst: 1 });
    await llm.chat(ask('a'));
    await llm.chat(ask('b'));
    expect(time.sleeps).toEqual([60_000]);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('ResilientLlm over OpenAiLlm against the fake Chat Completions API', () => {
  const fake = new FakeOpenAiApi();
  let llm: ResilientLlm;
  let time: ReturnType<typeof fakeTime>;

  beforeAll(async () => {
    const { baseURL } = await fake.start();
    time = fakeTime();
    llm = new ResilientLlm(new OpenAiLlm({ apiKey: 'sk-test', baseURL, model: 'llama3.1:8b' }), { now: time.now, sleep: time.sleep, cacheTtlMs: 0 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('honours retry-after-ms', async () => {
    fake.enqueue(openAiErrors.rateLimited({ 'retry-after-ms': '1500' }), text('ok'));
    await llm.chat(ask('q'));
    expect(time.sleeps).toEqual([1_500]);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry insufficient_quota', async () => {
    fake.enqueue(openAiErrors.insufficientQuota());
    await expect(llm.chat(ask('q'))).rejects.toBeInstanceOf(LlmSpendLimitError);
    expect(fake.requests).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { LlmError, LlmSpendLimitError, LlmUnavailableError } from '../../src/diagnosis/llm-errors';
import type { ChatResponse } from '../../src/diagnosis/llm-port';
import type { ResilienceOptions } from '../../src/diagnosis/resilient-llm';
import { ask, reply } from '../integration/llm-test-support';
import { answer, fail, hang, overloaded, setup } from './scripted-llm';
import type { Step } from './scripted-llm';

describe('ResilientLlm retries', () => {
  it('backs off exponentially with jitter, capped, then answers', async () => {
    const { inner, llm, time } = setup([overloaded(), overloaded(), overloaded(), answer('fine')], { maxDelayMs: 2_000 });
    expect((await llm.chat(ask('q'))).text).toBe('fine');
    expect(time.sleeps).toEqual([750, 1_500, 1_500]); // steps 1 s, 2 s, min(4 s, 2 s); each half fixed + half jitter
    expect(inner.calls).toHaveLength(4);
    expect(llm.stats()).toMatchObject({ calls: 1, attempts: 4, retries: 3, failures: 0 });
  });

  it("waits what the provider's retry-after says, capped", async () => {
    const limited = (ms: number): Step => fail(new LlmError('429 rate_limit_error', true, { status: 429, retryAfterMs: ms }));
    const { time, llm } = setup([limited(7_000), limited(3_600_000)], { maxDelayMs: 60_000 });
    await llm.chat(ask('q'));
    expect(time.sleeps).toEqual([7_000, 60_000]);
  });

  it('gives up after maxRetries with LlmUnavailableError saying what happened', async () => {
    const { inner, llm } = setup([overloaded(), overloaded(), overloaded(), overloaded()], { maxRetries: 3 });
    const error = await llm.chat(ask('q')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({ message: 'scripted unavailable after 4 attempts: 529 overloaded', details: { status: 529 } });
    expect(inner.calls).toHaveLength(4);
  });

  it.each([
    ['a spend limit', new LlmSpendLimitError('out of credit', { status: 400 })],
    ['a non-retryable LlmError', new LlmError('400 invalid_request_error', false, { status: 400 })],
    ['an unknown error', new TypeError('bug')],
  ])('never retries %s', async (_name, error) => {
    const { inner, llm, time } = setup([fail(error)]);
    await expect(llm.chat(ask('q'))).rejects.toBe(error);
    expect(inner.calls).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('times each attempt out, and a timeout is retried', async () => {
    const deadlines: AbortController[] = [];
    const timesOut: Step = (request) => {
      const pending = hang(request);
      deadlines.at(-1)?.abort(new DOMException('The operation timed out.', 'TimeoutError'));
      return pending;
    };
    const { inner, llm } = setup([timesOut, answer('second try')], {
      timeoutMs: 60_000,
      timeoutSignal: () => {
        const controller = new AbortController();
        deadlines.push(controller);
        return controller.signal;
      },
    });
    expect((await llm.chat(ask('q'))).text).toBe('second try');
    expect(inner.calls).toHaveLength(2);
  });

  it('reports exhausted timeouts as such', async () => {
    const { llm } = setup([hang], { maxRetries: 0, timeoutMs: 1_000, timeoutSignal: () => AbortSignal.abort() });
    await expect(llm.chat(ask('q'))).rejects.toThrow('scripted unavailable after 1 attempt: timed out after 1s');
  });

  it("rethrows the caller's abort at once: no retry, no breaker count", async () => {
    const { inner, llm, time } = setup([hang], { circuitFailures: 1 });
    const controller = new AbortController();
    const call = llm.chat({ ...ask('q'), signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(inner.calls).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
    expect(llm.stats()).toMatchObject({ breaker: 'closed', failures: 0 });
  });

  it("stops backing off when the caller aborts during the wait", async () => {
    const controller = new AbortController();
    const { inner, llm } = setup([overloaded()], {
      sleep: (_ms, signal) => {
        controller.abort();
        return Promise.reject(signal?.reason as Error);
      },
    });
    await expect(llm.chat({ ...ask('q'), signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(inner.calls).toHaveLength(1);
  });
});

describe('ResilientLlm circuit breaker', () => {
  const options: ResilienceOptions = { maxRetries: 0, circuitFailures: 2, circuitCooldownMs: 60_000 };

  it('opens after N failed calls and then fails fast without calling the provider', async () => {
    const { inner, llm } = setup([overloaded(), overloaded()], options);
    await expect(llm.chat(ask('a'))).rejects.toBeInstanceOf(LlmUnavailableError);
    await expect(llm.chat(ask('b'))).rejects.toBeInstanceOf(LlmUnavailableError);
    const refused = await llm.chat(ask('c')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LlmUnavailableError);
    expect(refused).toMatchObject({ message: 'scripted circuit open after 2 consecutive failures, retry after 60s', details: { retryAfterMs: 60_000 } });
    expect(inner.calls).toHaveLength(2);
    expect(llm.stats()).toMatchObject({ breaker: 'open', breakerOpens: 1, failures: 3 });
  });

  it('half-opens after the cooldown: one trial call, others refused meanwhile; success closes it', async () => {
    let release: (response: ChatResponse) => void = () => undefined;
    const trial: Step = () => new Promise((resolve) => (release = resolve));
    const { inner, llm, time } = setup([overloaded(), overloaded(), trial], options);
    await llm.chat(ask('a')).catch(() => undefined);
    await llm.chat(ask('b')).catch(() => undefined);
    time.advance(60_000);
    expect(llm.stats().breaker).toBe('half-open');
    const probe = llm.chat(ask('c'));
    await expect(llm.chat(ask('d'))).rejects.toThrow(/circuit open while a trial call is in flight/);
    release(reply('recovered'));
    expect((await probe).text).toBe('recovered');
    expect(llm.stats().breaker).toBe('closed');
    expect((await llm.chat(ask('e'))).text).toBe('ok');
    expect(inner.calls).toHaveLength(4);
  });

  it('a failed trial (tried once, not retried) opens it for another cooldown', async () => {
    const { inner, llm, time } = setup(Array.from({ length: 9 }, overloaded), { ...options, maxRetries: 3 });
    await llm.chat(ask('a')).catch(() => undefined);
    await llm.chat(ask('b')).catch(() => undefined);
    const callsBefore = inner.calls.length;
    time.advance(60_000);
    await expect(llm.chat(ask('c'))).rejects.toThrow('scripted unavailable after 1 attempt: 529 overloaded');
    expect(inner.calls.length).toBe(callsBefore + 1);
    await expect(llm.chat(ask('d'))).rejects.toThrow(/circuit open/);
    expect(inner.calls.length).toBe(callsBefore + 1);
  });

  it('does not count answers that prove the provider is up (4xx)', async () => {
    const bad = (): Step => fail(new LlmError('400 invalid_request_error', false, { status: 400 }));
    const { llm } = setup([bad(), bad(), bad()], options);
    for (const q of ['a', 'b', 'c']) await llm.chat(ask(q)).catch(() => undefined);
    expect(llm.stats().breaker).toBe('closed');
  });
});

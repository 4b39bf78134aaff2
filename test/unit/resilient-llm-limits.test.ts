import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../src/diagnosis/llm-port';
import { parseRetryAfter } from '../../src/diagnosis/providers/provider-errors';
import { ResilientLlm } from '../../src/diagnosis/resilient-llm';
import { ask, fakeTime, reply } from '../integration/llm-test-support';
import { answer, hang, overloaded, ScriptedLlm, setup } from './scripted-llm';
import type { Step } from './scripted-llm';

describe('ResilientLlm rate limit', () => {
  it('waits for a slot instead of failing', async () => {
    const time = fakeTime();
    const inner = new ScriptedLlm();
    const callsWhenWaiting: number[] = [];
    const llm = new ResilientLlm(inner, {
      now: time.now, cacheTtlMs: 0, requestsPerMinute: 2, burst: 2,
      sleep: (ms, signal) => {
        callsWhenWaiting.push(inner.calls.length);
        return time.sleep(ms, signal);
      },
    });
    for (const q of ['a', 'b', 'c']) await llm.chat(ask(q));
    expect(time.sleeps).toEqual([30_000]); // the third request waits for the next token at 2/min
    expect(callsWhenWaiting).toEqual([2]);
    expect(inner.calls).toHaveLength(3);
  });

  it('gives up waiting when the caller aborts', async () => {
    const inner = new ScriptedLlm();
    const controller = new AbortController();
    const llm = new ResilientLlm(inner, {
      cacheTtlMs: 0, requestsPerMinute: 1, burst: 1, now: () => 0,
      sleep: (_ms, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error))),
    });
    await llm.chat(ask('a'));
    const waiting = llm.chat({ ...ask('b'), signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(inner.calls).toHaveLength(1);
  });
});

describe('ResilientLlm cache and in-flight sharing', () => {
  it('answers an identical request from memory, marked cached, until the TTL passes', async () => {
    const { inner, llm, time } = setup([answer('first'), answer('second')], { cacheTtlMs: 600_000 });
    const first = await llm.chat(ask('q'));
    const again = await llm.chat({ ...ask('q'), temperature: 0 }); // temperature defaults to 0: same request
    expect(first.cached).toBeUndefined();
    expect(again).toEqual({ ...first, cached: true });
    expect(inner.calls).toHaveLength(1);
    time.advance(600_000);
    expect((await llm.chat(ask('q'))).text).toBe('second');
    expect(llm.stats().cacheHits).toBe(1);
  });

  it('keys on everything that shapes the answer', async () => {
    const { inner, llm } = setup([], { cacheTtlMs: 600_000 });
    await llm.chat(ask('q'));
    await llm.chat({ ...ask('q'), maxTokens: 100 });
    await llm.chat({ ...ask('q'), tools: [] });
    await llm.chat({ ...ask('q'), system: 'other' });
    await llm.chat({ ...ask('q'), temperature: 0.5 });
    expect(inner.calls).toHaveLength(5);
  });

  it('evicts the least recently used entry, and never caches failures', async () => {
    const { inner, llm } = setup([overloaded()], { cacheTtlMs: 600_000, cacheMaxEntries: 2, maxRetries: 0 });
    await llm.chat(ask('a')).catch(() => undefined);
    await llm.chat(ask('a'));
    await llm.chat(ask('b'));
    await llm.chat(ask('a')); // hit: a is now the most recent
    await llm.chat(ask('c')); // evicts b
    await llm.chat(ask('a'));
    await llm.chat(ask('b'));
    expect(inner.calls.map((c) => (c.messages[0] as { content: string }).content)).toEqual(['a', 'a', 'b', 'c', 'b']);
  });

  it('lets identical concurrent calls share one request, even if the first caller gives up', async () => {
    let release: (response: ChatResponse) => void = () => undefined;
    const slow: Step = () => new Promise((resolve) => (release = resolve));
    const { inner, llm } = setup([slow]);
    const controller = new AbortController();
    const first = llm.chat({ ...ask('q'), signal: controller.signal });
    const second = llm.chat(ask('q'));
    controller.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(inner.calls[0]?.signal?.aborted).toBe(false);
    release(reply('shared'));
    expect((await second).text).toBe('shared');
    expect(inner.calls).toHaveLength(1);
    expect(llm.stats().shared).toBe(1);
  });

  it('cancels the shared request when every caller has given up', async () => {
    const { inner, llm } = setup([hang]);
    const a = new AbortController();
    const b = new AbortController();
    const calls = [llm.chat({ ...ask('q'), signal: a.signal }), llm.chat({ ...ask('q'), signal: b.signal })];
    a.abort();
    b.abort();
    await Promise.allSettled(calls);
    expect(inner.calls[0]?.signal?.aborted).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  const headers = (entries: Record<string, string>): Headers => new Headers(entries);
  it.each([
    [{ 'retry-after-ms': '1500', 'retry-after': '9' }, 1_500],
    [{ 'retry-after': '7' }, 7_000],
    [{ 'retry-after': 'Tue, 14 Nov 2023 22:13:30 GMT' }, 10_000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s', (entries, expected) => {
    expect(parseRetryAfter(headers(entries), Date.parse('Tue, 14 Nov 2023 22:13:20 GMT'))).toBe(expected);
  });
});

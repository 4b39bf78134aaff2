import { describe, expect, it } from 'vitest';
import { larkData, toLarkApiError } from '../../src/chat/lark/lark-client';
import type { LarkApiError } from '../../src/chat/lark/lark-client';
import { RetriesExhaustedError, SendQueue } from '../../src/chat/lark/send-queue';
import type { Clock, SendQueueOptions } from '../../src/chat/lark/send-queue';

/** Virtual time: sleeps resolve only when the test advances the clock past them. */
class ManualClock implements Clock {
  private time = 0;
  private sleepers: { until: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ until: this.time + ms, wake }));
  }

  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const due = this.sleepers.filter((s) => s.until <= target).sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.time = due.until;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      due.wake();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** What the SDK rejects with on an HTTP error (an axios error), reduced to the fields it carries. */
function httpRejection(status: number, code: number, msg: string, headers: Record<string, string> = {}): unknown {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    isAxiosError: true,
    response: { status, data: { code, msg }, headers },
  });
}

const FREQUENCY_LIMIT = 'request trigger frequency limit';
const throttled429 = (resetSeconds: number): LarkApiError =>
  toLarkApiError(httpRejection(429, 99991400, FREQUENCY_LIMIT, { 'x-ogw-ratelimit-reset': String(resetSeconds) }), 'send message');
const throttled400 = (): LarkApiError => toLarkApiError(httpRejection(400, 99991400, FREQUENCY_LIMIT), 'send message');

function setup(options: SendQueueOptions = {}): { clock: ManualClock; queue: SendQueue } {
  const clock = new ManualClock();
  return { clock, queue: new SendQueue({ clock, random: () => 0, ...options }) };
}

/** An operation that records when it ran and fails with the given errors before succeeding. */
function operation(calls: number[], clock: Clock, failures: unknown[] = [], value = 'ok'): () => Promise<string> {
  const pending = [...failures];
  return () => {
    calls.push(clock.now());
    const failure = pending.shift();
    if (failure === undefined) return Promise.resolve(value);
    return Promise.reject(failure instanceof Error ? failure : new Error('unexpected non-Error failure'));
  };
}

function maxInAnyWindow(times: number[], windowMs = 1000): number {
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));
}

describe('SendQueue rate limits', () => {
  it('sends at most 5 per second into one chat, in order', async () => {
    const { clock, queue } = setup();
    const calls: number[] = [];
    const results = Array.from({ length: 12 }, (_, i) => queue.send('oc_a', operation(calls, clock, [], `m${i}`)));

    await clock.advance(0);
    expect(calls).toHaveLength(5);
    await clock.advance(999);
    expect(calls).toHaveLength(5);
    await clock.advance(1);
    expect(calls).toHaveLength(10);
    await clock.advance(1000);
    expect(await Promise.all(results)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`));
    expect(calls).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000]);
    expect(maxInAnyWindow(calls)).toBe(5);
  });

  it('gives every chat and every card its own allowance', async () => {
    const { clock, queue } = setup();
    const chatA: number[] = [];
    const chatB: number[] = [];
    const card: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      void queue.send('oc_a', operation(chatA, clock));
      void queue.send('oc_b', operation(chatB, clock));
      void queue.update('om_card', operation(card, clock));
    }
    await clock.advance(0);
    expect([chatA.length, chatB.length, card.length]).toEqual([5, 5, 5]);
    await clock.advance(1000);
    expect([chatA.length, chatB.length, card.length]).toEqual([6, 6, 6]);
  });

  it('counts a send when Lark answers it, so slow answers cannot crowd Lark’s window', async () => {
    const { clock, queue } = setup();
    const answered: number[] = [];
    const slow = async (): Promise<void> => {
      await clock.sleep(100);
      answered.push(clock.now());
    };
    for (let i = 0; i < 6; i += 1) void queue.send('oc_a', slow);
    await clock.advance(5_000);
    // One in flight per chat: five answers at 100..500 ms, the sixth starts a second after the first answer.
    expect(answered).toEqual([100, 200, 300, 400, 500, 1200]);
  });

  it('honours a lower configured limit', async () => {
    const { clock, queue } = setup({ updatesPerSecondPerCard: 2 });
    const calls: number[] = [];
    for (let i = 0; i < 3; i += 1) void queue.update('om_card', operation(calls, clock));
    await clock.advance(0);
    expect(calls).toEqual([0, 0]);
    await clock.advance(1000);
    expect(calls).toEqual([0, 0, 1000]);
  });
});

describe('SendQueue retries', () => {
  it('retries an HTTP 429 after x-ogw-ratelimit-reset, keeping the chat in order', async () => {
    const { clock, queue } = setup();
    const first: number[] = [];
    const second: number[] = [];
    const a = queue.send('oc_a', operation(first, clock, [throttled429(2)], 'first'));
    const b = queue.send('oc_a', operation(second, clock, [], 'second'));

    await clock.advance(1999);
    expect(first).toEqual([0]);
    expect(second).toEqual([]);
    await clock.advance(1);
    expect(await a).toBe('first');
    expect(await b).toBe('second');
    expect(first).toEqual([0, 2000]);
    expect(second).toEqual([2000]);
  });

  it('retries code 99991400 without a reset header with exponential back-off', async () => {
    const { clock, queue } = setup();
    const calls: number[] = [];
    const done = queue.send('oc_a', operation(calls, clock, [throttled400(), throttled400(), throttled400()]));
    await clock.advance(10_000);
    expect(await done).toBe('ok');
    // Equal jitter with random() = 0: half of 500, 1000, 2000 ms.
    expect(calls).toEqual([0, 250, 750, 1750]);
  });

  it('treats Lark’s per-chat limit (230020) and a throttled 200 answer as throttling too', async () => {
    const { clock, queue } = setup();
    const perChat = toLarkApiError(httpRejection(400, 230020, 'This operation triggers the frequency limit.'), 'send message');
    let answeredThrottled: unknown;
    try {
      larkData({ code: 99991400, msg: 'request trigger frequency limit' }, 'send message');
    } catch (error) {
      answeredThrottled = error;
    }
    const calls: number[] = [];
    const done = queue.send('oc_a', operation(calls, clock, [perChat, answeredThrottled]));
    await clock.advance(5_000);
    expect(await done).toBe('ok');
    expect(calls).toHaveLength(3);
  });

  it('adds jitter to the server’s reset time', async () => {
    const { clock, queue } = setup({ random: () => 1 });
    const calls: number[] = [];
    const done = queue.send('oc_a', operation(calls, clock, [throttled429(2)]));
    await clock.advance(3_000);
    await done;
    expect(calls).toEqual([0, 2200]);
  });

  it('fails fast on other errors, naming Lark’s code and msg', async () => {
    const { clock, queue } = setup();
    const calls: number[] = [];
    const notInChat = toLarkApiError(httpRejection(400, 230002, 'The bot is not in the chat.'), 'send message');
    const done = queue.send('oc_a', operation(calls, clock, [notInChat]));
    const after = queue.send('oc_a', operation([], clock, [], 'next'));
    await expect(done).rejects.toThrow('Lark send message failed: code 230002, msg "The bot is not in the chat.", HTTP 400');
    expect(calls).toEqual([0]);
    // A failure does not block the chat's lane.
    expect(await after).toBe('next');
  });

  it('fails fast on errors without a response (nothing says Lark throttled)', async () => {
    const { clock, queue } = setup();
    const refused = toLarkApiError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { isAxiosError: true }), 'send message');
    await expect(queue.send('oc_a', operation([], clock, [refused]))).rejects.toThrow('Lark send message failed: connect ECONNREFUSED');
  });

  it('gives up after the configured number of attempts', async () => {
    const { clock, queue } = setup({ maxAttempts: 3 });
    const calls: number[] = [];
    const always = [throttled429(1), throttled429(1), throttled429(1), throttled429(1)];
    const done = queue.send('oc_a', operation(calls, clock, always));
    const outcome = done.then(
      () => undefined,
      (error: unknown) => error,
    );
    await clock.advance(10_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).attempts).toBe(3);
    expect((error as Error).message).toContain('code 99991400');
    expect(calls).toEqual([0, 1000, 2000]);
  });
});

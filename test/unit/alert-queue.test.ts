import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AlertQueue } from '../../src/intake/alert-queue';

const logger = pino({ level: 'silent' });

/** Work the test finishes by hand. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

function queue(options: { concurrency?: number; maxBacklog?: number; heartbeats?: string[][]; heartbeatMs?: number } = {}) {
  const heartbeats = options.heartbeats ?? [];
  return new AlertQueue({
    concurrency: options.concurrency ?? 2,
    maxBacklog: options.maxBacklog ?? 100,
    heartbeat: (keys) => Promise.resolve(void heartbeats.push(keys)),
    heartbeatMs: options.heartbeatMs ?? 60_000,
    logger,
  });
}

describe('AlertQueue', () => {
  it('runs a few payloads at a time, first in first out, and counts what waits', async () => {
    const q = queue({ concurrency: 2 });
    const started: string[] = [];
    const gates = new Map(['a', 'b', 'c', 'd'].map((key) => [key, gate()]));
    const jobs = [...gates].map(([key, g]) =>
      q.submit(key, 3, async () => {
        started.push(key);
        await g.opened;
        return key;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual(['a', 'b']);
    expect(q.saturated).toBe(true);
    expect(q.backlog).toBe(12);
    expect(q.hasRoom(88)).toBe(true);
    expect(q.hasRoom(89)).toBe(false);
    gates.get('b')!.open();
    await jobs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b', 'c']);
    for (const g of gates.values()) g.open();
    expect(await Promise.all(jobs)).toEqual(['a', 'b', 'c', 'd']);
    expect(q.backlog).toBe(0);
    expect(q.saturated).toBe(false);
  });

  it('hands a failure to its own caller and goes on with the rest', async () => {
    const q = queue({ concurrency: 1 });
    const failing = q.submit('bad', 1, () => Promise.reject(new Error('database down')));
    const fine = q.submit('good', 1, () => Promise.resolve('ok'));
    await expect(failing).rejects.toThrow('database down');
    expect(await fine).toBe('ok');
  });

  it('heartbeats every key waiting or in work in one call, and stops when idle', async () => {
    const heartbeats: string[][] = [];
    const q = queue({ concurrency: 1, heartbeats, heartbeatMs: 20 });
    const g = gate();
    const first = q.submit('k1', 1, () => g.opened);
    const second = q.submit('k2', 1, () => Promise.resolve());
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(heartbeats[0]).toEqual(['k1', 'k2']);
    g.open();
    await Promise.all([first, second]);
    await q.idle(1_000);
    const seen = heartbeats.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(heartbeats.length).toBe(seen);
  });

  it('idle() gives up after its timeout, leaving the rest to be replayed from their claims', async () => {
    const q = queue();
    void q.submit('stuck', 1, () => new Promise<never>(() => undefined));
    await q.idle(50); // returns: the test would time out otherwise
    expect(q.backlog).toBe(1);
  });
});

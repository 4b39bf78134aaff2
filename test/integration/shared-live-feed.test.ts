import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebChatEvent, WebChatListener } from '../../src/chat/web/web-chat';
import type { LiveIncidentChange, LiveIncidentListener, LiveSources } from '../../src/server/console/event-stream';
import { startSharedLiveFeed } from '../../src/server/console/shared-live-feed';
import type { SharedLiveFeed } from '../../src/server/console/shared-live-feed';
import { eventually } from '../support/runtime-harness';

// Its own Redis database, so its channel is its own (the app test uses 11).
const REDIS_DB = 10;
const REDIS_URL = `redis://127.0.0.1:6379/${REDIS_DB}`;
const CHANNEL = `aifixer:console-live:${REDIS_DB}`;
const logger = pino({ level: 'silent' });

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What a WebChat and a runtime would tell: plain listener sets an instance's events are pushed into. */
function localEvents() {
  const chat = new Set<WebChatListener>();
  const incidents = new Set<LiveIncidentListener>();
  const sources: LiveSources = {
    chat: (l) => (chat.add(l), () => void chat.delete(l)),
    incidents: (l) => (incidents.add(l), () => void incidents.delete(l)),
  };
  return {
    sources,
    transition: (change: LiveIncidentChange & Record<string, unknown>) => incidents.forEach((l) => l(change)),
    chat: (event: WebChatEvent) => chat.forEach((l) => l(event)),
  };
}

function instance(options: RedisOptions = {}) {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, ...options });
  redis.on('error', () => undefined);
  const local = localEvents();
  const feed: SharedLiveFeed = startSharedLiveFeed({ redis, local: local.sources, logger });
  cleanups.push(async () => {
    await feed.close();
    redis.disconnect();
  });
  const seen: unknown[] = [];
  let gaps = 0;
  feed.sources.chat((event) => seen.push(event));
  feed.sources.incidents((change) => seen.push(change));
  feed.sources.gaps?.(() => gaps++);
  return { redis, local, feed, seen, gaps: () => gaps };
}

const admin = () => {
  const redis = new Redis(REDIS_URL);
  cleanups.push(() => Promise.resolve(redis.disconnect()));
  return redis;
};
const subscribed = (redis: Redis, n: number) =>
  eventually(async () => (((await redis.pubsub('NUMSUB', CHANNEL)) as [string, number])[1] === n ? true : undefined), `${n} subscribers`);

const message = {
  seq: 1,
  messageId: 'web-1',
  chatId: 'web',
  author: 'bot' as const,
  senderId: 'ai-fixer',
  text: 'hello',
  card: null,
  content: null,
  replyTo: null,
  reactions: [],
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
};

describe('the shared live feed on Redis', () => {
  it("hands each instance the others' events once, its own only locally, transitions without their context", async () => {
    const watcher = admin();
    const [x, y] = [instance(), instance()];
    await subscribed(watcher, 2);

    x.local.transition({ incidentId: 'INC-1', eventType: 'alert.received', fromState: null, toState: 'triaging', status: 'active', context: { secret: 'no' } });
    x.local.chat({ type: 'message.posted', message });
    await watcher.publish(CHANNEL, 'not json');
    await watcher.publish(CHANNEL, JSON.stringify({ from: 'someone', kind: 'incident', change: { incidentId: 'INC-2' } }));
    await eventually(() => (y.seen.length === 2 ? true : undefined), 'Y to see both');
    expect(y.seen).toEqual([{ incidentId: 'INC-1', eventType: 'alert.received', fromState: null, toState: 'triaging', status: 'active' }, { type: 'message.posted', message }]);
    // X heard its own transition directly, with whatever it carried, and not again from Redis.
    await new Promise((r) => setTimeout(r, 100));
    expect(x.seen).toHaveLength(2);
    expect(x.seen[0]).toMatchObject({ context: { secret: 'no' } });
  });

  it('tells the other instances to reload once Redis is back after a publish was lost', async () => {
    const watcher = admin();
    const x = instance({ enableOfflineQueue: false, connectionName: 'live-feed-test-x' });
    const y = instance();
    await subscribed(watcher, 2);
    const line = ((await watcher.client('LIST')) as string).split('\n').find((l) => l.includes(' name=live-feed-test-x '));
    await watcher.client('KILL', 'ID', /\bid=(\d+)/.exec(line ?? '')![1]!);
    await eventually(() => (x.redis.status === 'ready' ? undefined : true), 'X to lose its connection');
    x.local.chat({ type: 'message.posted', message }); // cannot be published now
    await eventually(() => (y.gaps() === 1 ? true : undefined), 'Y to be told to reload');
    expect(y.seen).toEqual([]);
    expect(x.gaps()).toBe(0);
  });

  it('ends its own streams when its subscriber reconnects (ioredis resubscribes)', async () => {
    const watcher = admin();
    const [x, y] = [instance(), instance()];
    await subscribed(watcher, 2);
    const feeds = ((await watcher.client('LIST')) as string).split('\n').filter((l) => / name=aifixer-live-/.test(l) && l.includes(` db=${REDIS_DB} `));
    expect(feeds).toHaveLength(2);
    for (const l of feeds) await watcher.client('KILL', 'ID', /\bid=(\d+)/.exec(l)![1]!);
    await eventually(() => (x.gaps() === 1 && y.gaps() === 1 ? true : undefined), 'both to report a gap');
    await subscribed(watcher, 2);
    y.local.transition({ incidentId: 'INC-3', eventType: 'incident.escalate', fromState: 'triaging', toState: 'escalated', status: 'done' });
    await eventually(() => (x.seen.length === 1 ? true : undefined), 'X to hear Y again');
  });

  it('closing unsubscribes and quits the subscriber, and stops publishing', async () => {
    const watcher = admin();
    const x = instance();
    const y = instance();
    await subscribed(watcher, 2);
    await x.feed.close();
    expect(((await watcher.pubsub('NUMSUB', CHANNEL)) as [string, number])[1]).toBe(1);
    x.local.chat({ type: 'message.posted', message });
    await new Promise((r) => setTimeout(r, 100));
    expect(y.seen).toEqual([]);
  });
});

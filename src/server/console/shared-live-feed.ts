import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WebChatListener } from '../../chat/web/web-chat';
import { liveIncidentChange } from './event-stream';
import type { LiveIncidentListener, LiveSources } from './event-stream';
import { LiveMessage } from './live-message';
import type { OutgoingLiveMessage } from './live-message';

const CLOSE_TIMEOUT_MS = 2_000;

export interface SharedLiveFeed {
  /** This instance's events as they happen, and the other instances' as Redis delivers them. */
  readonly sources: LiveSources;
  /** Unsubscribes and quits the subscriber connection; the shared `redis` stays open for its owner. */
  close(): Promise<void>;
}

export interface SharedLiveFeedOptions {
  /** A command connection, used to publish; the feed subscribes on its own duplicate of it. */
  redis: Redis;
  local: LiveSources;
  logger: Logger;
}

/**
 * The console's live stream across instances behind one load balancer (REDIS_URL). Every instance
 * publishes what it persisted on one Redis channel and hands the others' events to its own SSE clients,
 * skipping its own (they arrive locally, in order, without the round trip).
 *
 * Pub/sub is fire-and-forget: what is published while a subscriber is cut off is lost. The page
 * refetches everything it shows whenever its event stream (re)connects, so the feed ends the streams
 * when it may have missed something: when its subscriber reconnects (ioredis resubscribes by itself,
 * `autoResubscribe`) or when another instance says a publish failed.
 */
export function startSharedLiveFeed({ redis, local, logger }: SharedLiveFeedOptions): SharedLiveFeed {
  const instanceId = randomUUID();
  // Pub/sub ignores the database number; scoping by it keeps deployments on separate databases apart, as their keys are.
  const feed: FeedChannel = { channel: `aifixer:console-live:${redis.options.db ?? 0}`, instanceId, logger };
  // Its own connection (a subscriber can run nothing else), whose subscribe waits for Redis however long it takes.
  const subscriber = redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true, connectionName: `aifixer-live-${instanceId}` });
  subscriber.on('error', (error: Error) => logger.warn({ err: error }, 'live feed: redis subscriber error'));

  const remote: RemoteListeners = { chat: new Set(), incidents: new Set(), gaps: new Set() };
  const stopPublishing = publishLocalEvents(redis, local, feed);
  listenToOthers(subscriber, remote, feed);

  return {
    sources: feedSources(local, remote),
    async close() {
      stopPublishing();
      remote.chat.clear();
      remote.incidents.clear();
      remote.gaps.clear();
      await quit(subscriber, feed.channel, logger);
    },
  };
}

/** The Redis channel of one deployment, and who this instance is on it. */
interface FeedChannel {
  channel: string;
  instanceId: string;
  logger: Logger;
}

/** This instance's listeners of the other instances' events. */
interface RemoteListeners {
  chat: Set<WebChatListener>;
  incidents: Set<LiveIncidentListener>;
  gaps: Set<() => void>;
}

function signalGap(remote: RemoteListeners): void {
  for (const listener of remote.gaps) listener();
}

/**
 * Publishes what this instance persists; after a failed publish, tells the others there was a gap once
 * the publisher is ready again. Returns what stops it.
 */
function publishLocalEvents(redis: Redis, local: LiveSources, { channel, instanceId, logger }: FeedChannel): () => void {
  let unpublished = false;
  const publish = async (message: OutgoingLiveMessage): Promise<void> => {
    try {
      await redis.publish(channel, JSON.stringify({ from: instanceId, ...message }));
    } catch (error) {
      unpublished = true;
      logger.warn({ err: error, kind: message.kind }, 'live feed: could not publish; the other instances are told to reload once Redis is back');
    }
  };
  const onPublisherReady = () => {
    if (!unpublished) return;
    unpublished = false;
    void publish({ kind: 'gap' });
  };
  redis.on('ready', onPublisherReady);
  const stopLocal = [
    local.chat((event) => void publish({ kind: 'chat', event })),
    local.incidents((change) => void publish({ kind: 'incident', change: liveIncidentChange(change) })),
  ];
  return () => {
    for (const stop of stopLocal) stop();
    redis.off('ready', onPublisherReady);
  };
}

/** Hands the other instances' events to this one's listeners; a reconnect of the subscriber is a gap. */
function listenToOthers(subscriber: Redis, remote: RemoteListeners, { channel, instanceId, logger }: FeedChannel): void {
  let connectedBefore = false;
  subscriber.on('ready', () => {
    if (connectedBefore) signalGap(remote);
    connectedBefore = true;
  });
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = parse(text, logger);
    if (!message || message.from === instanceId) return;
    deliver(remote, message);
  });
  subscriber.subscribe(channel).catch((error: unknown) => logger.error({ err: error, channel }, 'live feed: could not subscribe'));
}

function deliver(remote: RemoteListeners, message: LiveMessage): void {
  if (message.kind === 'gap') return signalGap(remote);
  if (message.kind === 'incident') {
    for (const listener of remote.incidents) listener(message.change);
    return;
  }
  for (const listener of remote.chat) listener(message.event);
}

/** Each source gives a listener this instance's events and the other instances' alike. */
function feedSources(local: LiveSources, remote: RemoteListeners): LiveSources {
  const both = <L>(others: Set<L>, subscribeLocal: (listener: L) => () => void) => (listener: L) => {
    const stop = subscribeLocal(listener);
    others.add(listener);
    return () => {
      stop();
      others.delete(listener);
    };
  };
  return {
    chat: both(remote.chat, (l) => local.chat(l)),
    incidents: both(remote.incidents, (l) => local.incidents(l)),
    gaps: both(remote.gaps, (l) => local.gaps?.(l) ?? (() => undefined)),
  };
}

function parse(text: string, logger: Logger): LiveMessage | undefined {
  try {
    const parsed = LiveMessage.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'live feed: ignoring a message it does not understand');
  } catch {
    logger.warn('live feed: ignoring a message that is not JSON');
  }
  return undefined;
}

/** Unsubscribes and quits politely when connected; drops the connection when Redis is away (quitting would wait for it). */
async function quit(subscriber: Redis, channel: string, logger: Logger): Promise<void> {
  if (subscriber.status !== 'ready') return void subscriber.disconnect();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Error>((resolve) => (timer = setTimeout(() => resolve(new Error('timed out')), CLOSE_TIMEOUT_MS)));
  const polite = (async () => {
    await subscriber.unsubscribe(channel);
    await subscriber.quit();
  })().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  const failure = await Promise.race([polite, timedOut]);
  clearTimeout(timer);
  if (failure === undefined) return;
  logger.warn({ err: failure }, 'live feed: could not quit the subscriber politely; disconnecting');
  subscriber.disconnect();
}

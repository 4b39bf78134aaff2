import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cardActionEvent, messageEvent } from './events';
import type { CardActionEventInput, LarkEvent, MentionInput, MessageEventInput } from './events';
import { parseJson, sendLarkError } from './http-io';
import { newAppId, newAppSecret, newOpenId, newTenantKey } from './ids';
import { LongConnection, WS_PATH } from './long-connection';
import type { EventAck, PushOptions } from './long-connection';
import { MessageStore } from './message-store';
import type { PatchRecord, ReactionRecord, SentMessage, StoredMessage } from './message-store';
import { OpenApi } from './open-api';
import type { RequestLogEntry } from './open-api';
import type { UrgentRecord } from './urgent-api';
import { EnforcedRateLimit, InjectedThrottle } from './throttle';
import type { ThrottleOptions, ThrottledRoute } from './throttle';

export interface FakeLarkOptions {
  appId?: string;
  appSecret?: string;
  botName?: string;
  /** Seconds between the long-connection client's pings (the SDK pings once on connect regardless). */
  pingIntervalSeconds?: number;
  /** Answer code 230020 past 5 sends/s per chat and 5 updates/s per card, as Lark does. */
  enforceRateLimits?: boolean;
}

export interface BotIdentity {
  appId: string;
  openId: string;
  name: string;
}

export interface CardView {
  messageId: string;
  /** The card as it looks now, patches applied. */
  card: unknown;
  /** The send that created it. */
  sent: SentMessage;
}

export interface BotPostInput {
  msgType: string;
  /** Returned as is by the list API (for interactive: the simplified `{title, elements}` form); an object or its JSON. */
  content: unknown;
  senderAppId: string;
  createTime?: number;
}

export interface UserPostInput {
  text?: string;
  content?: unknown;
  msgType?: string;
  senderOpenId?: string;
  mentions?: MentionInput[];
  /** Adds an @-mention of this app's bot in front of the other mentions. */
  mentionBot?: boolean;
  createTime?: number;
}

export interface FakeLark {
  url: string;
  appId: string;
  appSecret: string;
  tenantKey: string;
  bot: BotIdentity;
  /** Every message the bot created or replied (uuid repeats excluded), oldest first. */
  readonly sent: SentMessage[];
  readonly patches: PatchRecord[];
  readonly reactions: ReactionRecord[];
  /** The whole history: seeded and sent messages. */
  readonly messages: StoredMessage[];
  /** Open API requests in arrival order, with the HTTP status answered. */
  readonly requests: RequestLogEntry[];
  /** Urgent (加急) notifications the bot sent, oldest first. */
  readonly urgents: UrgentRecord[];
  /** Names the contact API (`contact.v3.user.batch`) gives for an open id. */
  addPerson(openId: string, name: string): void;
  /** A group's name, as `im.v1.chat.get` gives it. */
  addGroup(chatId: string, name: string): void;
  /** Answers name lookups (people, groups or both) as for an app without the scope: code 99991672. */
  refuseContacts(which?: { users?: boolean; groups?: boolean }): void;
  allowContacts(): void;
  /** Requests answered as throttled (injected or over an enforced limit). */
  readonly throttledCount: number;
  /** Sends or updates past Lark's limits; only counted with `enforceRateLimits`. */
  readonly rateLimitViolations: { key: string; at: number }[];
  /** Sockets opened by long-connection clients so far (a reconnect adds one). */
  readonly connectionsOpened: number;

  message(messageId: string): StoredMessage | undefined;
  /** The newest card the bot posted in a chat, with its patches applied. */
  latestCard(chatId: string): CardView | undefined;
  cardsIn(chatId: string): CardView[];

  postAsBot(chatId: string, input: BotPostInput): StoredMessage;
  /** Records a person's message in the history and returns the event Lark would push for it. */
  postAsUser(chatId: string, input: UserPostInput): { message: StoredMessage; event: LarkEvent };

  throttleNext(n: number, options?: ThrottleOptions): void;
  /** Cuts the connection of the next `n` sends (or requests to `routes`) before they are handled (a network failure). */
  dropNextSends(n: number, routes?: ThrottledRoute[]): void;
  /** Moves the fake's clock forward: uuid memory, message times and the per-second limits (not tokens). */
  advanceClock(ms: number): void;
  now(): number;

  /** Delivers an event over the long connection and resolves with the client's ACK. */
  pushEvent(event: object, options?: PushOptions): Promise<EventAck>;
  waitForClient(): Promise<void>;
  dropConnection(): void;

  /** Event builders pre-filled with this app's id and tenant. */
  messageEvent(input: MessageEventInput): LarkEvent;
  cardActionEvent(input: CardActionEventInput): LarkEvent;

  close(): Promise<void>;
}

/**
 * A local stand-in for Lark's open platform on 127.0.0.1: the REST APIs the bot calls, the long
 * connection it listens on, and controls for tests. Point the real SDK at `url` as its `domain`.
 */
export async function startFakeLark(options: FakeLarkOptions = {}): Promise<FakeLark> {
  const appId = options.appId ?? newAppId();
  const appSecret = options.appSecret ?? newAppSecret();
  const tenantKey = newTenantKey();
  const bot: BotIdentity = { appId, openId: newOpenId(), name: options.botName ?? 'ai-fixer' };
  let clockOffset = 0;
  const now = (): number => Date.now() + clockOffset;
  let baseUrl = '';

  const store = new MessageStore(now, { id: appId, idType: 'app_id', senderType: 'app' });
  const throttle = new InjectedThrottle();
  const sendLimit = options.enforceRateLimits ? new EnforcedRateLimit(5, now) : undefined;
  const updateLimit = options.enforceRateLimits ? new EnforcedRateLimit(5, now) : undefined;
  const openApi = new OpenApi({ appId, appSecret, tenantKey, bot: { openId: bot.openId, name: bot.name }, store, throttle, sendLimit, updateLimit });
  const longConnection = new LongConnection({
    appId,
    appSecret,
    ...(options.pingIntervalSeconds !== undefined ? { pingIntervalSeconds: options.pingIntervalSeconds } : {}),
    wsBaseUrl: () => baseUrl.replace(/^http/, 'ws'),
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const route = async (): Promise<void> => {
      if (await openApi.handle(req, res, url)) return;
      if (req.method === 'POST' && url.pathname === '/callback/ws/endpoint') return longConnection.handleEndpoint(req, res);
      sendLarkError(res, 404, 404, `no such API in the fake: ${req.method} ${url.pathname}`);
    };
    route().catch((error: unknown) => {
      if (!res.headersSent) sendLarkError(res, 500, 500, `fake Lark failed: ${String(error)}`);
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', baseUrl);
    if (url.pathname === WS_PATH) longConnection.handleUpgrade(req, socket, head, url);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const cardView = (message: StoredMessage): CardView | undefined => {
    const sent = store.sent.find((s) => s.messageId === message.messageId);
    return sent ? { messageId: message.messageId, card: message.content, sent } : undefined;
  };
  const cardsIn = (chatId: string): CardView[] =>
    store.messages
      .filter((m) => m.chatId === chatId && m.msgType === 'interactive' && m.sender.id === appId)
      .flatMap((m) => cardView(m) ?? []);
  const envelope = { appId, tenantKey };
  let closed = false;

  return {
    url: baseUrl,
    appId,
    appSecret,
    tenantKey,
    bot,
    sent: store.sent,
    patches: store.patches,
    reactions: store.reactions,
    messages: store.messages,
    requests: openApi.log,
    urgents: openApi.urgents,
    addPerson: (openId, name) => openApi.contacts.addPerson(openId, name),
    addGroup: (chatId, name) => openApi.contacts.addGroup(chatId, name),
    refuseContacts: (which) => openApi.contacts.refuse(which),
    allowContacts: () => openApi.contacts.allow(),
    get throttledCount() {
      return throttle.count;
    },
    get rateLimitViolations() {
      return [...(sendLimit?.violations ?? []), ...(updateLimit?.violations ?? [])];
    },
    get connectionsOpened() {
      return longConnection.connectionsOpened;
    },
    message: (messageId) => store.get(messageId),
    latestCard: (chatId) => cardsIn(chatId).at(-1),
    cardsIn,
    postAsBot: (chatId, input) =>
      store.seed({
        chatId,
        msgType: input.msgType,
        content: typeof input.content === 'string' ? (parseJson(input.content) ?? input.content) : input.content,
        sender: { id: input.senderAppId, idType: 'app_id', senderType: 'app' },
        ...(input.createTime !== undefined ? { createTime: input.createTime } : {}),
      }),
    postAsUser: (chatId, input) => {
      const mentions = [...(input.mentionBot ? [{ openId: bot.openId, name: bot.name }] : []), ...(input.mentions ?? [])];
      const keyed = mentions.map((m, i) => ({ key: `@_user_${i + 1}`, openId: m.openId, name: m.name }));
      const senderOpenId = input.senderOpenId ?? newOpenId();
      const createTime = input.createTime ?? now();
      const content = input.content ?? { text: [...keyed.map((m) => m.key), input.text ?? ''].join(' ').trim() };
      const msgType = input.msgType ?? 'text';
      const sender = { id: senderOpenId, idType: 'open_id' as const, senderType: 'user' as const };
      const message = store.seed({ chatId, msgType, content, sender, createTime, mentions: keyed });
      const event = messageEvent({
        ...envelope,
        chatId,
        senderOpenId,
        mentions,
        content,
        messageType: msgType,
        messageId: message.messageId,
        createTime,
      });
      return { message, event };
    },
    throttleNext: (n, throttleOptions) => throttle.arm(n, throttleOptions),
    dropNextSends: (n, routes) => throttle.armDrop(n, routes),
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    now,
    pushEvent: (event, pushOptions) => longConnection.pushEvent(event, pushOptions),
    waitForClient: () => longConnection.waitForClient(),
    dropConnection: () => longConnection.dropConnection(),
    messageEvent: (input) => messageEvent({ ...envelope, ...input }),
    cardActionEvent: (input) => cardActionEvent({ ...envelope, ...input }),
    close: async () => {
      if (closed) return;
      closed = true;
      await longConnection.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

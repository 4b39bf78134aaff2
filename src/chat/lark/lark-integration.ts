import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { LockPort } from '../../locks/lock-port';
import type { DecisionAccess } from '../../policy/access';
import type { SilenceService } from '../../silences/silence-service';
import type { IncidentService, IncidentListener } from '../../runtime/incident-service';
import type { Route } from '../../http/route';
import type { InboundStore } from '../../store/inbound-store';
import type { PluginSummary } from '../core/commands';
import type { PeopleDirectory } from '../core/people-directory';
import { updateCardsOnAlertChanges } from '../core/alert-card-updates';
import { updateCardsDecidedByCommand } from '../core/command-decided-cards';
import { showProgressOnAlerts } from '../core/progress-reactions';
import { AlertDetector } from '../core/alert-detector';
import type { AlertTemplate } from '../core/alert-detector';
import { normalizeListedMessage } from './event-normalizer';
import type { BotIdentity } from './event-normalizer';
import { HistoryReader } from './history-reader';
import { DeliveryReplayer } from '../../intake/delivery-replayer';
import type { HistoryPage } from './history-reader';
import { callLark, createLarkClient, LarkApiError, larkSdkLogger } from './lark-client';
import { LarkChat } from './lark-chat';
import type { LarkSendObserver } from './lark-chat';
import { LarkInbound, larkCallbackResponse } from './lark-inbound';
import { larkPeopleDirectory } from './lark-people';
import { createLarkWebhookRoute } from './webhook';
import type { ChatLanguages } from '../core/chat-languages';

export interface LarkIntakeDeps {
  service: IncidentService;
  subscribe(listener: IncidentListener): () => void;
  inboundStore: InboundStore;
  /** Who reads a chat's history now: in process, or one instance at a time across instances. */
  locks: LockPort;
  plugins: () => PluginSummary[];
  /** Who may decide what (src/policy). */
  access: DecisionAccess;
  /** What /silence and friends act on. */
  silences?: SilenceService;
}

/** Cards out: what the incident machine's implementations need, before the runtime exists. */
export interface LarkConnection {
  chat: LarkChat;
  /** Names for the ids the web console shows, from Lark's contact API (cached). */
  people: PeopleDirectory;
  /** Events in, once the runtime exists. */
  listen(deps: LarkIntakeDeps): LarkIntake;
}

export interface LarkIntake {
  /** HTTP routes to serve: `POST /lark/events` in webhook mode. */
  routes: Route[];
  start(): void;
  stop(): Promise<void>;
  /** Resolves when events can arrive and cards can go out: the long connection is up, or (webhooks) Lark grants a token. */
  ready(): Promise<void>;
}

const PAGE_SIZE = 50;
/** Webhook mode asks Lark at most this often; probes come every few seconds. */
const TOKEN_CHECK_TTL_MS = 30_000;

/**
 * Lark wired in: cards out through LarkChat; events in over the long connection or signed webhooks;
 * alerts that other bots post found through the alert chats' history; progress as reactions.
 */
export async function connectLark(
  config: Config,
  logger: Logger,
  options: { observer?: LarkSendObserver; templates: AlertTemplate[]; languages: ChatLanguages },
): Promise<LarkConnection> {
  const appId = config.LARK_APP_ID!;
  const appSecret = config.LARK_APP_SECRET!;
  const client = createLarkClient({ appId, appSecret, domain: config.LARK_DOMAIN, logger });
  const bot = await botIdentityWithRetries(client, appId, logger);
  const chat = new LarkChat({ client, logger, observer: options.observer, languages: options.languages });
  const detector = new AlertDetector({
    templates: options.templates,
    selfSenderIds: [appId, bot.openId ?? ''].filter(Boolean),
  });
  const languages = options.languages;
  return { chat, people: larkPeopleDirectory(client, logger), listen: (deps) => listen({ config, logger, client, bot, chat, detector, appSecret, languages }, deps) };
}

interface Connected {
  config: Config;
  logger: Logger;
  client: lark.Client;
  bot: BotIdentity;
  chat: LarkChat;
  detector: AlertDetector;
  appSecret: string;
  languages: ChatLanguages;
}

function listen({ config, logger, client, bot, chat, detector, appSecret, languages }: Connected, deps: LarkIntakeDeps): LarkIntake {
  const appId = config.LARK_APP_ID!;
  const inbound = new LarkInbound({
    service: deps.service,
    chat,
    inbound: deps.inboundStore,
    detectAlerts: (message) => detector.detect(message),
    botOpenId: bot.openId ?? '',
    botAppId: appId,
    access: deps.access,
    logger,
    plugins: deps.plugins,
    silences: deps.silences,
    languages,
  });
  const onEvent = async (event: unknown) => larkCallbackResponse(await inbound.handleEvent(event), languages.i18n.defaultLanguage);
  const { routes, wsClient } = eventDoor(config, logger, appSecret, onEvent);

  const history = new HistoryReader({
    chatIds: config.LARK_ALERT_CHAT_IDS,
    fetchPage: (chatId, startTimeSeconds, pageToken) => listMessages(client, bot, chatId, startTimeSeconds, pageToken),
    isAlertSender: (message) => config.LARK_ALERT_ALL_BOTS || config.LARK_ALERT_SENDER_IDS.includes(message.sender.id),
    handle: (message) => inbound.handleMessage(message),
    inbound: deps.inboundStore,
    locks: deps.locks,
    logger,
    intervalMs: config.LARK_HISTORY_POLL_INTERVAL,
  });
  const replayer = new DeliveryReplayer({ channel: 'lark', inbound: deps.inboundStore, target: inbound, logger });
  let unsubscribe: (() => void)[] = [];

  return {
    routes,
    start() {
      const subscribe = (listener: IncidentListener) => deps.subscribe(listener);
      unsubscribe = [
        showProgressOnAlerts(subscribe, chat, logger),
        updateCardsDecidedByCommand(subscribe, chat, logger, languages.i18n),
        updateCardsOnAlertChanges(subscribe, chat, logger, languages.i18n),
      ];
      if (wsClient) {
        const dispatcher = new lark.EventDispatcher({ logger: larkSdkLogger(logger) }).register({
          'im.message.receive_v1': onEvent,
          'card.action.trigger': onEvent,
        });
        void wsClient.start({ eventDispatcher: dispatcher });
      }
      if (config.LARK_ALERT_CHAT_IDS.length) history.start();
      replayer.start();
    },
    async stop() {
      for (const stop of unsubscribe) stop();
      wsClient?.close();
      await history.stop();
      await replayer.stop();
      await inbound.close();
    },
    ready: readiness(wsClient, client, appId),
  };
}

/** Where Lark's events come in: signed webhooks (a route to serve), or the long connection. */
function eventDoor(config: Config, logger: Logger, appSecret: string, onEvent: (event: unknown) => Promise<unknown>): { routes: Route[]; wsClient?: lark.WSClient } {
  if (config.LARK_EVENT_MODE === 'webhook') {
    return { routes: [createLarkWebhookRoute({ encryptKey: config.LARK_ENCRYPT_KEY!, verificationToken: config.LARK_VERIFICATION_TOKEN, onEvent })] };
  }
  const appId = config.LARK_APP_ID!;
  return { routes: [], wsClient: new lark.WSClient({ appId, appSecret, domain: config.LARK_DOMAIN, logger: larkSdkLogger(logger), loggerLevel: lark.LoggerLevel.info }) };
}

/** The long connection is up, or (webhooks) Lark grants a token, asked at most every TOKEN_CHECK_TTL_MS. */
function readiness(wsClient: lark.WSClient | undefined, client: lark.Client, appId: string): () => Promise<void> {
  let tokenCheckedAt = Number.NEGATIVE_INFINITY;
  return async () => {
    if (wsClient) {
      const { state } = wsClient.getConnectionStatus();
      if (state !== 'connected') throw new Error(`Lark long connection ${state}`);
      return;
    }
    // A call that needs the tenant token (cached by the SDK): Lark reachable and the app's credentials good.
    if (Date.now() - tokenCheckedAt < TOKEN_CHECK_TTL_MS) return;
    await botIdentity(client, appId);
    tokenCheckedAt = Date.now();
  };
}

/** Attempts at start-up before giving up: a network blip must not keep the bot from starting. */
const BOT_INFO_ATTEMPTS = 5;

/** A wrong app id or secret fails at once; no answer or a 5xx is tried again with backoff. */
async function botIdentityWithRetries(client: lark.Client, appId: string, logger: Logger): Promise<BotIdentity> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await botIdentity(client, appId);
    } catch (error) {
      const transient = error instanceof LarkApiError && (error.transient || error.throttled);
      if (!transient || attempt >= BOT_INFO_ATTEMPTS) throw error;
      logger.warn({ err: error, attempt }, 'could not reach Lark for the bot identity; retrying');
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
    }
  }
}

/** The bot's own open id: how its @-mentions are recognised. */
async function botIdentity(client: lark.Client, appId: string): Promise<BotIdentity> {
  // This endpoint answers `{ code, msg, bot }` rather than `{ code, msg, data }`.
  const info = await callLark('bot info', async () => {
    const { code, msg, bot } = await client.request<{ code?: number; msg?: string; bot?: { open_id?: string } }>({
      method: 'GET',
      url: '/open-apis/bot/v3/info',
    });
    return { code, msg, data: { openId: bot?.open_id } };
  });
  return { appId, openId: info.openId };
}

async function listMessages(
  client: lark.Client,
  bot: BotIdentity,
  chatId: string,
  startTimeSeconds: number,
  pageToken?: string,
): Promise<HistoryPage> {
  const answer = await callLark('list chat messages', () =>
    client.im.v1.message.list({
      params: {
        container_id_type: 'chat',
        container_id: chatId,
        start_time: String(startTimeSeconds),
        sort_type: 'ByCreateTimeAsc',
        page_size: PAGE_SIZE,
        ...(pageToken ? { page_token: pageToken } : {}),
      },
    }),
  );
  const items = (answer.items ?? []).map((item) => normalizeListedMessage(item, bot));
  return { items, hasMore: answer.has_more ?? false, pageToken: answer.page_token };
}

import type { Logger } from 'pino';
import type { LarkIntake } from '../chat/lark/lark-integration';
import { AlertDetector } from '../chat/core/alert-detector';
import { TerminalInbound } from '../chat/terminal/terminal-inbound';
import type { Config } from '../config';
import type { Route } from '../http/route';
import { createAlertIntake, HTTP_CHANNEL } from '../intake/http-intake';
import type { AlertIntake } from '../intake/http-intake';
import { DeliveryReplayer } from '../intake/delivery-replayer';
import { metricsRoute } from '../observability/metrics-route';
import { startSharedLiveFeed } from '../server/console/shared-live-feed';
import type { SharedLiveFeed } from '../server/console/shared-live-feed';
import { startWebConsole } from '../server/console/web-console';
import type { WebConsole } from '../server/console/web-console';
import type { Chats } from './chats';
import type { Foundation } from './foundation';
import type { IncidentCore } from './incidents';
import type { IntakeChain } from './intake-chain';

export interface AppParts {
  config: Config;
  logger: Logger;
  base: Foundation;
  chats: Chats;
  core: IncidentCore;
  chain: IntakeChain;
}

/** Where alerts, messages and clicks come in: Lark, the web console, the terminal and `POST /api/alerts`. */
export interface Doors {
  lark?: LarkIntake;
  web: WebConsole;
  terminal?: TerminalInbound;
  alerts?: AlertIntake;
  /** Payloads acknowledged by an instance that died before opening their incidents. */
  alertReplayer?: DeliveryReplayer;
  liveFeed?: SharedLiveFeed;
  routes: Route[];
}

export async function openDoors(parts: AppParts): Promise<Doors> {
  const { config, base } = parts;
  const lark = openLark(parts);
  const { web, liveFeed } = await openWebConsole(parts);
  const alerts = config.API_KEYS.length ? openAlertApi(parts) : undefined;
  const alertReplayer = alerts && new DeliveryReplayer({ channel: HTTP_CHANNEL, inbound: base.inboundStore, target: alerts, logger: parts.logger });
  const routes = [...(lark?.routes ?? []), ...web.routes, metricsRoute(base.metrics, config.METRICS_TOKEN, config.CONSOLE_TRUST_LOOPBACK), ...(alerts ? [alerts.route] : [])];
  return { lark, web, terminal: openTerminal(parts), alerts, alertReplayer, liveFeed, routes };
}

function openLark({ base, chats, core, chain }: AppParts): LarkIntake | undefined {
  return chats.lark?.listen({
    service: chain.intake,
    subscribe: (listener) => core.runtime.subscribe(chats.onlyLarkChats(listener)),
    inboundStore: base.inboundStore,
    locks: base.clusterLocks,
    plugins: base.listPlugins,
    access: core.policy.access,
    silences: chain.silences,
  });
}

async function openWebConsole({ config, logger, base, chats, core, chain }: AppParts): Promise<{ web: WebConsole; liveFeed?: SharedLiveFeed }> {
  // Behind one load balancer, a console also shows what the other instances persisted (Redis pub/sub).
  const liveFeed = base.redis
    ? startSharedLiveFeed({ redis: base.redis, local: { chat: (l) => chats.web.subscribe(l), incidents: (l) => core.runtime.subscribe(l) }, logger })
    : undefined;
  const web = await startWebConsole({
    orm: base.orm,
    chat: chats.web,
    ownsChat: (chatId) => chats.router.owner(chatId) === chats.web,
    service: chain.intake,
    subscribe: (listener) => core.runtime.subscribe(listener),
    inboundStore: base.inboundStore,
    access: core.policy.access,
    silences: chain.silences,
    user: config.CONSOLE_USER ?? config.CONSOLE_OPERATOR,
    token: config.CONSOLE_TOKEN,
    trustLoopback: config.CONSOLE_TRUST_LOOPBACK,
    scrubber: base.scrubber,
    languages: chats.languages,
    alertTemplates: base.alertTemplates,
    plugins: base.listPlugins,
    logger,
    cipher: base.cipher,
    live: liveFeed?.sources,
    people: chats.lark?.people,
  });
  return { web, liveFeed };
}

function openAlertApi({ config, logger, base, chats, chain }: AppParts): AlertIntake {
  const chatId = chats.lark ? config.LARK_DEFAULT_CHAT_ID : chats.web.chatId;
  return createAlertIntake({ service: chain.intake, inbound: base.inboundStore, apiKeys: config.API_KEYS, chatId, routes: config.ALERT_ROUTES, logger, scrubber: base.scrubber });
}

/** The terminal reads alerts with the same detector as the web console and Lark; its replies print through its chat. */
function openTerminal({ logger, base, chats, core, chain }: AppParts): TerminalInbound | undefined {
  if (!chats.terminal) return undefined;
  const detector = new AlertDetector({ templates: base.alertTemplates });
  return new TerminalInbound({
    service: chain.intake,
    chat: chats.terminal,
    inbound: base.inboundStore,
    detector,
    access: core.policy.access,
    logger,
    plugins: base.listPlugins,
    silences: chain.silences,
    languages: chats.languages,
  });
}

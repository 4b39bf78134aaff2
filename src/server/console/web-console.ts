import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { incidentMachine } from '../../../machines/incident.machine';
import { updateCardsOnAlertChanges } from '../../chat/core/alert-card-updates';
import { updateCardsDecidedByCommand } from '../../chat/core/command-decided-cards';
import type { PluginSummary } from '../../chat/core/commands';
import { AlertDetector } from '../../chat/core/alert-detector';
import type { AlertTemplate } from '../../chat/core/alert-detector';
import { NO_NAMES } from '../../chat/core/people-directory';
import type { PeopleDirectory } from '../../chat/core/people-directory';
import { showProgressOnAlerts } from '../../chat/core/progress-reactions';
import { WebChat } from '../../chat/web/web-chat';
import { WEB_CHANNEL, WebInbound } from '../../chat/web/web-inbound';
import { DeliveryReplayer } from '../../intake/delivery-replayer';
import type { DecisionAccess } from '../../policy/access';
import type { IncidentListener, IncidentService } from '../../runtime/incident-service';
import type { SilenceService } from '../../silences/silence-service';
import { ConsoleQueries } from '../../store/console-queries';
import type { DataCipher } from '../../security/encryption';
import type { Scrubber } from '../../security';
import type { InboundStore } from '../../store/inbound-store';
import { WebMessageStore } from '../../store/web-message-store';
import type { Route } from '../../http/route';
import { chatApiRoutes } from './chat-api';
import type { LiveSources } from './event-stream';
import { incidentApiRoutes } from './incident-api';
import { IncidentPageActions, withPageActions } from './incident-page-actions';
import { silenceApiRoutes } from './silence-api';
import { staticFileRoutes } from './static-files';
import { consoleMessagesRoute } from './console-messages';
import type { ChatLanguages } from '../../chat/core/chat-languages';

/** The bot's own id in the web chat, and the monitoring bot that posts the samples. */
export const WEB_BOT_ID = 'ai-fixer';
export const WEB_MONITOR_ID = 'monitoring-bot';

/** Cards out: what the machine's implementations need before the runtime exists. */
export function createWebChat(orm: MikroORM, languages: ChatLanguages): WebChat {
  return new WebChat(new WebMessageStore(orm), { botId: WEB_BOT_ID, languages });
}

export interface WebConsoleDeps {
  orm: MikroORM;
  chat: WebChat;
  /** Whether an incident's chat is the web chat (its reactions and decided cards are shown there). */
  ownsChat(chatId: string): boolean;
  service: IncidentService;
  subscribe(listener: IncidentListener): () => void;
  inboundStore: InboundStore;
  access: DecisionAccess;
  /** CONSOLE_USER: whom the console acts as. */
  user: string;
  /** CONSOLE_TOKEN: required from everyone, this machine too unless `trustLoopback`. */
  token: string | undefined;
  /** CONSOLE_TRUST_LOOPBACK: a browser on this machine may skip the token. */
  trustLoopback?: boolean;
  /** ALERT_TEMPLATES_FILE's layouts, for the console's AlertDetector. */
  alertTemplates: AlertTemplate[];
  plugins: () => PluginSummary[];
  logger: Logger;
  /** Opens encrypted execution results for the incident page. */
  cipher: DataCipher;
  /** What /silence acts on and the silences page lists; unset: no silences API. */
  silences?: SilenceService;
  /** What the live stream shows; default: this instance's chat and transitions (several instances share theirs). */
  live?: LiveSources;
  /** Redacts what people type before it is stored (default: the built-in rules). */
  scrubber?: Scrubber;
  /** The console chat's language (`/lang`, else LANGUAGE). */
  languages: ChatLanguages;
  /** Names for the ids the console shows (Lark's contact API); default: none, ids are shown. */
  people?: PeopleDirectory;
}

export interface WebConsole {
  routes: Route[];
  start(): void;
  stop(): Promise<void>;
}

/**
 * The web console at `/`: a chat that runs the same intake as the Lark group, the incident list and
 * pages, and a live stream of both.
 */
export async function startWebConsole(deps: WebConsoleDeps): Promise<WebConsole> {
  const { chat, logger } = deps;
  const detector = new AlertDetector({ templates: deps.alertTemplates, selfSenderIds: [WEB_BOT_ID] });
  const inbound = new WebInbound({
    service: deps.service,
    chat,
    inbound: deps.inboundStore,
    detector,
    user: { id: deps.user },
    botId: WEB_BOT_ID,
    monitorId: WEB_MONITOR_ID,
    access: deps.access,
    logger,
    plugins: deps.plugins,
    silences: deps.silences,
    scrubber: deps.scrubber,
    languages: deps.languages,
  });
  const access = { token: deps.token, trustLoopback: deps.trustLoopback ?? false };
  const pageActions = new IncidentPageActions({ service: deps.service, decisions: deps.access, user: deps.user, inbound: deps.inboundStore, logger, languages: deps.languages });
  const webIncidents = (listener: IncidentListener) => deps.subscribe((change) => (deps.ownsChat(change.context.chatId) ? listener(change) : undefined));
  const routes = [
    ...(await staticFileRoutes()),
    consoleMessagesRoute(deps.languages.i18n),
    ...chatApiRoutes({ access, chat, inbound, user: deps.user, people: deps.people ?? NO_NAMES, live: deps.live ?? { chat: (l) => chat.subscribe(l), incidents: (l) => deps.subscribe(l) } }),
    ...(deps.silences ? silenceApiRoutes({ token: access, silences: deps.silences, access: deps.access, user: deps.user }) : []),
    ...incidentApiRoutes({ access, service: deps.service, queries: new ConsoleQueries(deps.orm, deps.cipher), machine: incidentMachine, decisions: deps.access, user: deps.user, actions: pageActions, people: deps.people ?? NO_NAMES }),
  ];
  const replayer = new DeliveryReplayer({ channel: WEB_CHANNEL, inbound: deps.inboundStore, target: withPageActions(inbound, pageActions), logger });
  let stops: (() => void)[] = [];
  return {
    routes,
    start() {
      stops = [
        showProgressOnAlerts(webIncidents, chat, logger),
        updateCardsDecidedByCommand(webIncidents, chat, logger, deps.languages.i18n),
        updateCardsOnAlertChanges(webIncidents, chat, logger, deps.languages.i18n),
      ];
      replayer.start();
    },
    async stop() {
      for (const stop of stops) stop();
      await replayer.stop();
      await inbound.close();
    },
  };
}

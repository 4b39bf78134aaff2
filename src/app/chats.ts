import type { Logger } from 'pino';
import { ChatRouter } from '../chat/core/chat-router';
import type { ChatPort } from '../chat/core/chat-port';
import { RedactingChat } from '../chat/core/redacting-chat';
import { connectLark } from '../chat/lark/lark-integration';
import type { LarkConnection } from '../chat/lark/lark-integration';
import { ConsoleChat } from '../chat/terminal/console-chat';
import { WEB_MESSAGE_PREFIX } from '../chat/web/web-chat';
import type { WebChat } from '../chat/web/web-chat';
import { defaultLanguageOf, larkEnabled } from '../config';
import type { Config } from '../config';
import type { IncidentListener } from '../runtime/incident-service';
import { createWebChat } from '../server/console/web-console';
import type { Foundation } from './foundation';
import { ChatLanguages } from '../chat/core/chat-languages';
import { I18n } from '../i18n';
import { ChatSettingStore } from '../store/chat-setting-store';

export interface AppIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** Where incidents are talked about: Lark when configured, else the terminal; the web console always. */
export interface Chats {
  lark?: LarkConnection;
  terminal?: ConsoleChat;
  web: WebChat;
  router: ChatRouter;
  /** What the workflow posts through: the router, secrets redacted. */
  chat: ChatPort;
  /** Each chat's language (`/lang`, else LANGUAGE) and the catalogs, in TIMEZONE. */
  languages: ChatLanguages;
  /** Lark's progress reactions and decided cards are for incidents in Lark chats, not the web console's. */
  onlyLarkChats(listener: IncidentListener): IncidentListener;
}

export async function connectChats(config: Config, logger: Logger, io: AppIo, base: Foundation): Promise<Chats> {
  const languages = new ChatLanguages(new I18n(defaultLanguageOf(config), config.TIMEZONE), new ChatSettingStore(base.orm));
  const lark = larkEnabled(config) ? await connectLark(config, logger, { observer: base.metrics.larkObserver(), templates: base.alertTemplates, languages }) : undefined;
  const terminal = lark ? undefined : new ConsoleChat({ input: io.input, output: io.output, operator: { id: config.CONSOLE_OPERATOR }, languages });
  const web = createWebChat(base.orm, languages);
  // The web console is a chat too (the default one without Lark): posts go by chat id, updates and reactions by message id.
  const terminalRoute = terminal ? [{ chat: terminal, chatId: terminal.chatId, messagePrefix: 'console-' }] : [];
  const router = new ChatRouter(lark?.chat ?? web, [{ chat: web, chatId: web.chatId, messagePrefix: WEB_MESSAGE_PREFIX }, ...terminalRoute]);
  return {
    lark,
    terminal,
    web,
    router,
    chat: new RedactingChat(router, base.scrubber),
    languages,
    onlyLarkChats: (listener) => (change) => {
      if (lark && router.owner(change.context.chatId) === lark.chat) listener(change);
    },
  };
}

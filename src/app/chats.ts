import type { Logger } from 'pino';
import { ChatRouter } from '../chat/core/chat-router';
import type { ChatPort } from '../chat/core/chat-port';
import { RedactingChat } from '../chat/core/redacting-chat';
import { connectLark } from '../chat/lark/lark-integration';
import type { LarkConnection } from '../chat/lark/lark-integration';
import { ConsoleChat } from '../chat/terminal/console-chat';
import { WEB_MESSAGE_PREFIX } from '../chat/web/web-chat';
import type { WebChat } from '../chat/web/web-chat';
import { larkEnabled } from '../config';
import type { Config } from '../config';
import type { IncidentListener } from '../runtime/incident-service';
import { createWebChat } from '../server/console/web-console';
import type { Foundation } from './foundation';

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
  /** Lark's progress reactions and decided cards are for incidents in Lark chats, not the web console's. */
  onlyLarkChats(listener: IncidentListener): IncidentListener;
}

export async function connectChats(config: Config, logger: Logger, io: AppIo, base: Foundation): Promise<Chats> {
  const lark = larkEnabled(config) ? await connectLark(config, logger, { observer: base.metrics.larkObserver(), templates: base.alertTemplates }) : undefined;
  const terminal = lark ? undefined : new ConsoleChat({ input: io.input, output: io.output, operator: { id: config.CONSOLE_OPERATOR } });
  const web = createWebChat(base.orm);
  // The web console is a chat too (the default one without Lark): posts go by chat id, updates and reactions by message id.
  const terminalRoute = terminal ? [{ chat: terminal, chatId: terminal.chatId, messagePrefix: 'console-' }] : [];
  const router = new ChatRouter(lark?.chat ?? web, [{ chat: web, chatId: web.chatId, messagePrefix: WEB_MESSAGE_PREFIX }, ...terminalRoute]);
  return {
    lark,
    terminal,
    web,
    router,
    chat: new RedactingChat(router, base.scrubber),
    onlyLarkChats: (listener) => (change) => {
      if (lark && router.owner(change.context.chatId) === lark.chat) listener(change);
    },
  };
}

import type { AlertDetector } from '../core/alert-detector';
import { replyWithOutcome } from '../core/alert-outcome';
import { ChatInbound } from '../core/chat-inbound';
import type { ChatDoorDeps } from '../core/chat-inbound';
import type { ChatMessage } from '../core/chat-message';
import type { InboundMessage } from '../core/chat-port';
import type { ConsoleMessageHandler } from './console-chat';

export interface TerminalInboundOptions extends ChatDoorDeps {
  /** The same AlertDetector the web console and Lark use. */
  detector: AlertDetector;
}

/** Whose claims these are; a typed line is not delivered again, so nothing is kept to replay. */
export const TERMINAL_CHANNEL = 'terminal';
/** What an alert typed at the terminal says it came from when no known tool is recognised. */
export const TERMINAL_SOURCE = 'console';

/**
 * The terminal as a chat adapter: each typed line is a person's message to the bot, handled by the
 * chat core every chat shares; what comes back is printed through the terminal's ChatPort before the
 * next line is read, so lines piped in are answered in order.
 */
export class TerminalInbound {
  private readonly core: ChatInbound;

  constructor(options: TerminalInboundOptions) {
    this.core = new ChatInbound({
      ...options,
      detectAlerts: (message) => options.detector.detect(message),
      alertSource: TERMINAL_SOURCE,
      ownIds: [],
      channel: TERMINAL_CHANNEL,
      replayable: false,
      announce: replyWithOutcome(options.chat, options.languages),
      notAnAlert: (message, reason) => {
        // The detector's reason is its own words (logged as well), shown as it gave them.
        const hint = options.languages.i18n.text('chat.hint.terminal', { reason });
        return options.chat.postText(message.chatId, hint, `hint:${message.messageId}`, { replyTo: message.messageId });
      },
    });
  }

  /** ConsoleChat's handler: resolves once the line's replies are printed. */
  readonly handle: ConsoleMessageHandler = async (line) => {
    await this.core.handleMessage(toChatMessage(line));
    await this.core.settled();
  };

  close(): Promise<void> {
    return this.core.close();
  }
}

/** Whoever types at the terminal talks to the bot, as an @-mention does in a group. */
function toChatMessage(line: InboundMessage): ChatMessage {
  return {
    messageId: line.messageId,
    chatId: line.chatId,
    msgType: 'text',
    content: { text: line.text },
    sender: { kind: 'user', id: line.sender.id },
    mentionsBot: true,
    createTime: Date.now(),
    text: line.text,
  };
}

import type { Card } from '../core/card';

/** A Lark message as the bot's intake sees it, whichever door it came through (event, history, webhook). */
export interface LarkInboundMessage {
  /** The delivery's event id (events only): Lark redelivers, so it is deduplicated. */
  eventId?: string;
  messageId: string;
  chatId: string;
  /** `text` | `post` | `interactive` | … as Lark names it. */
  msgType: string;
  /** The parsed `content` JSON. */
  content: unknown;
  sender: { kind: 'bot' | 'user'; id: string };
  mentionsBot: boolean;
  /** Milliseconds since the epoch. */
  createTime: number;
  /** Readable text of the message (mentions resolved to names), for commands. */
  text: string;
}

/** A button click on one of our cards (`card.action.trigger`). */
export interface LarkCardAction {
  eventId: string;
  /** From the button's callback value. */
  incidentId: string;
  action: string;
  /** The card kind and incident version the button was rendered for, to detect stale cards. */
  cardKind?: string;
  version?: number;
  operatorId: string;
  messageId: string;
  chatId: string;
}

/** The callback answer Lark shows the clicker: a toast and, optionally, the card replaced in place. */
export interface CardActionAnswer {
  toast: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: Card;
}

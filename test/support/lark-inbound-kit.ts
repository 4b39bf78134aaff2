import type { Card } from '../../src/chat/core/card';
import type { ChatPort, PostedMessage, PostOptions, Reaction } from '../../src/chat/core/chat-port';
import { LarkInbound } from '../../src/chat/lark/lark-inbound';
import type { LarkInboundOptions } from '../../src/chat/lark/lark-inbound';
import type { ChatMessage } from '../../src/chat/core/chat-message';
import type { AlertDetection } from '../../src/chat/core/typed-alerts';
import { parseTextAlert } from '../../src/chat/core/alert-detector/text-alert';
import { InboundStore } from '../../src/store/inbound-store';
import { accessFrom, builtinPolicy } from '../../src/policy';
import type { Harness } from './runtime-harness';
import type { Localized } from '../../src/i18n';
import { englishChats } from './languages';

/** What the Lark intake tests share: Lark's event shapes, a chat that records, an intake on a harness. */

export const CHAT = 'oc_ops';
export const BOT = 'ou_bot';
export const APPROVER = 'ou_approver';
export const ALERT_TEXT = '[high] checkout returns 503 service=checkout';

/** Our ChatPort, recording what the intake asks of the chat in English (the machine's own cards go to the console chat). */
export class RecordingChat implements ChatPort {
  readonly texts: { chatId: string; text: string; key?: string; options?: PostOptions }[] = [];
  readonly reactions: { messageId: string; reaction: Reaction }[] = [];
  readonly updates: { messageId: string; card: Card }[] = [];

  postCard(_chatId: string, _card: Localized<Card>, key: string): Promise<PostedMessage> {
    return Promise.resolve({ messageId: `om_card_${key}` });
  }
  postText(chatId: string, text: Localized<string>, key?: string, options?: PostOptions): Promise<PostedMessage> {
    this.texts.push({ chatId, text: text.en, key, options });
    return Promise.resolve({ messageId: `om_reply_${this.texts.length}` });
  }
  updateCard(messageId: string, card: Localized<Card>): Promise<void> {
    this.updates.push({ messageId, card: card.en });
    return Promise.resolve();
  }
  react(messageId: string, reaction: Reaction): Promise<void> {
    this.reactions.push({ messageId, reaction });
    return Promise.resolve();
  }
}

/** A stand-in AlertDetector: lines that start with a [tag] are alerts. */
export function detectTaggedAlerts(message: ChatMessage): AlertDetection {
  return message.text.startsWith('[') ? { isAlert: true, alerts: [parseTextAlert(message.text, 'lark')] } : { isAlert: false, reason: 'chatter' };
}

let eventCount = 0;
export function messageEvent(messageId: string, text: string, options: { eventId?: string; sender?: string; mentionBot?: boolean } = {}) {
  const content = options.mentionBot ? `@_user_1 ${text}` : text;
  return {
    schema: '2.0',
    header: { event_id: options.eventId ?? `ev_${++eventCount}`, event_type: 'im.message.receive_v1', create_time: String(Date.now()) },
    event: {
      sender: { sender_id: { open_id: options.sender ?? 'ou_alice' }, sender_type: 'user' },
      message: {
        message_id: messageId,
        chat_id: CHAT,
        chat_type: 'group',
        message_type: 'text',
        create_time: String(Date.now()),
        content: JSON.stringify({ text: content }),
        mentions: options.mentionBot ? [{ key: '@_user_1', id: { open_id: BOT }, name: 'ai-fixer' }] : [],
      },
    },
  };
}

export function clickEvent(click: { incidentId: string; action: string; messageId: string; operator?: string; attempt?: number; eventId?: string }) {
  return {
    schema: '2.0',
    header: { event_id: click.eventId ?? `ev_${++eventCount}`, event_type: 'card.action.trigger' },
    event: {
      operator: { open_id: click.operator ?? APPROVER },
      action: { value: { incidentId: click.incidentId, action: click.action, kind: 'diagnosis', attempt: click.attempt ?? 1 }, tag: 'button' },
      context: { open_message_id: click.messageId, open_chat_id: CHAT },
    },
  };
}

export function larkInbound(h: Harness, chat: ChatPort, overrides: Partial<LarkInboundOptions> = {}): LarkInbound {
  return new LarkInbound({
    service: h.runtime,
    chat,
    inbound: new InboundStore(h.orm),
    detectAlerts: detectTaggedAlerts,
    botOpenId: BOT,
    access: accessFrom(() => builtinPolicy({ autoExecuteLowRisk: false, approverIds: [APPROVER], dryRun: false })),
    logger: h.logger,
    languages: englishChats(),
    ...overrides,
  });
}

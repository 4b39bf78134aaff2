import { newEventId, newMessageId, newOpenId, newTenantKey } from './ids';

/** Schema 2.0 event envelopes, as Lark pushes them over the long connection or a webhook. */

export interface LarkEvent {
  schema: '2.0';
  header: {
    event_id: string;
    event_type: string;
    create_time: string;
    token: string;
    app_id: string;
    tenant_key: string;
  };
  event: Record<string, unknown>;
}

export interface EnvelopeInput {
  appId?: string;
  tenantKey?: string;
  /** Reuse an id to model Lark redelivering the same event. */
  eventId?: string;
  /** Milliseconds since the epoch. */
  createTime?: number;
  token?: string;
}

export interface MentionInput {
  openId: string;
  name: string;
}

export interface MessageEventInput extends EnvelopeInput {
  chatId: string;
  /** The text typed; mention placeholders (`@_user_1` …) are put in front of it, one per mention. */
  text?: string;
  /** Raw content for non-text messages; replaces `text`. */
  content?: unknown;
  messageType?: string;
  messageId?: string;
  senderOpenId?: string;
  chatType?: 'group' | 'p2p';
  mentions?: MentionInput[];
  rootId?: string;
  parentId?: string;
  threadId?: string;
}

export interface CardActionEventInput extends EnvelopeInput {
  /** The clicked button's callback value. */
  value: Record<string, unknown>;
  messageId: string;
  chatId: string;
  operatorOpenId?: string;
  tag?: string;
}

function envelope(eventType: string, input: EnvelopeInput, event: Record<string, unknown>): LarkEvent {
  return {
    schema: '2.0',
    header: {
      event_id: input.eventId ?? newEventId(),
      event_type: eventType,
      create_time: String(input.createTime ?? Date.now()),
      token: input.token ?? '',
      app_id: input.appId ?? 'cli_0000000000000000',
      tenant_key: input.tenantKey ?? newTenantKey(),
    },
    event,
  };
}

const unionIdOf = (openId: string): string => `on_${openId.slice(3)}`;

/** `im.message.receive_v1`: a person's message in a chat the bot is in. */
export function messageEvent(input: MessageEventInput): LarkEvent {
  const mentions = (input.mentions ?? []).map((m, i) => ({
    key: `@_user_${i + 1}`,
    id: { open_id: m.openId, union_id: unionIdOf(m.openId) },
    name: m.name,
    tenant_key: input.tenantKey ?? '',
  }));
  const text = [...mentions.map((m) => m.key), input.text ?? ''].join(' ').trim();
  const senderOpenId = input.senderOpenId ?? newOpenId();
  const createTime = String(input.createTime ?? Date.now());
  return envelope('im.message.receive_v1', input, {
    sender: {
      sender_id: { open_id: senderOpenId, union_id: unionIdOf(senderOpenId) },
      sender_type: 'user',
      tenant_key: input.tenantKey ?? '',
    },
    message: {
      message_id: input.messageId ?? newMessageId(),
      ...(input.rootId ? { root_id: input.rootId } : {}),
      ...(input.parentId ? { parent_id: input.parentId } : {}),
      ...(input.threadId ? { thread_id: input.threadId } : {}),
      create_time: createTime,
      update_time: createTime,
      chat_id: input.chatId,
      chat_type: input.chatType ?? 'group',
      message_type: input.messageType ?? 'text',
      content: JSON.stringify(input.content ?? { text }),
      ...(mentions.length > 0 ? { mentions } : {}),
    },
  });
}

/** `card.action.trigger`: someone clicked a callback button on a card. */
export function cardActionEvent(input: CardActionEventInput): LarkEvent {
  const operatorOpenId = input.operatorOpenId ?? newOpenId();
  return envelope('card.action.trigger', input, {
    operator: { tenant_key: input.tenantKey ?? '', open_id: operatorOpenId, union_id: unionIdOf(operatorOpenId) },
    token: `c-${newEventId()}`,
    action: { value: input.value, tag: input.tag ?? 'button' },
    host: 'im_message',
    context: { open_message_id: input.messageId, open_chat_id: input.chatId },
  });
}

import { newMessageId, newReactionId, newThreadId } from './ids';
import { listContentOf } from './list-content';

/** The fake's chat history: what the bot sent, what tests seeded, and how the list API reads it back. */

export interface MessageSender {
  id: string;
  idType: 'app_id' | 'open_id';
  senderType: 'app' | 'user';
}

export interface Mention {
  key: string;
  openId: string;
  name: string;
}

export interface StoredMessage {
  messageId: string;
  chatId: string;
  msgType: string;
  /** The current content, parsed (a card's JSON for interactive messages the bot sent). */
  content: unknown;
  sender: MessageSender;
  createTime: number;
  updateTime: number;
  updated: boolean;
  rootId?: string;
  parentId?: string;
  threadId?: string;
  mentions: Mention[];
}

/** One create or reply the bot made that Lark accepted as new (uuid repeats are not recorded). */
export interface SentMessage {
  messageId: string;
  chatId: string;
  msgType: string;
  content: unknown;
  replyTo?: string;
  replyInThread: boolean;
  uuid?: string;
  at: number;
}

export interface PatchRecord {
  messageId: string;
  content: unknown;
  at: number;
}

export interface ReactionRecord {
  reactionId: string;
  messageId: string;
  emojiType: string;
  at: number;
  removed: boolean;
}

export interface NewBotMessage {
  chatId: string;
  msgType: string;
  content: unknown;
  uuid?: string;
  replyTo?: StoredMessage;
  replyInThread?: boolean;
}

export interface SeededMessage {
  chatId: string;
  msgType: string;
  content: unknown;
  sender: MessageSender;
  createTime?: number;
  mentions?: Mention[];
}

export interface ListQuery {
  chatId: string;
  startTimeSeconds?: number;
  endTimeSeconds?: number;
  descending: boolean;
  pageSize: number;
  offset: number;
}

export interface ListPage {
  items: StoredMessage[];
  nextOffset?: number;
}

/** Lark keeps a send's uuid for an hour: a repeat within it returns the first message. */
const UUID_WINDOW_MS = 60 * 60 * 1000;

export class MessageStore {
  readonly messages: StoredMessage[] = [];
  readonly sent: SentMessage[] = [];
  readonly patches: PatchRecord[] = [];
  readonly reactions: ReactionRecord[] = [];
  private readonly byId = new Map<string, StoredMessage>();
  private readonly byUuid = new Map<string, { messageId: string; at: number }>();

  constructor(
    private readonly now: () => number,
    private readonly botSender: MessageSender,
  ) {}

  get(messageId: string): StoredMessage | undefined {
    return this.byId.get(messageId);
  }

  /** The message an earlier send with this uuid created, while Lark still remembers it. */
  findByUuid(uuid: string): StoredMessage | undefined {
    const seen = this.byUuid.get(uuid);
    if (!seen || this.now() - seen.at >= UUID_WINDOW_MS) return undefined;
    return this.byId.get(seen.messageId);
  }

  createFromBot(input: NewBotMessage): StoredMessage {
    const message = this.insert({
      chatId: input.chatId,
      msgType: input.msgType,
      content: input.content,
      sender: this.botSender,
      createTime: this.now(),
      mentions: [],
    });
    const parent = input.replyTo;
    if (parent) {
      message.parentId = parent.messageId;
      message.rootId = parent.rootId ?? parent.messageId;
      if (input.replyInThread) {
        // A thread belongs to its root: the first threaded reply opens it, later ones join it.
        const root = this.byId.get(message.rootId) ?? parent;
        root.threadId ??= newThreadId();
        message.threadId = root.threadId;
      } else if (parent.threadId) {
        message.threadId = parent.threadId;
      }
    }
    if (input.uuid) this.byUuid.set(input.uuid, { messageId: message.messageId, at: this.now() });
    this.sent.push({
      messageId: message.messageId,
      chatId: message.chatId,
      msgType: message.msgType,
      content: message.content,
      ...(parent ? { replyTo: parent.messageId } : {}),
      replyInThread: input.replyInThread ?? false,
      ...(input.uuid ? { uuid: input.uuid } : {}),
      at: message.createTime,
    });
    return message;
  }

  seed(input: SeededMessage): StoredMessage {
    return this.insert({
      chatId: input.chatId,
      msgType: input.msgType,
      content: input.content,
      sender: input.sender,
      createTime: input.createTime ?? this.now(),
      mentions: input.mentions ?? [],
    });
  }

  patch(message: StoredMessage, content: unknown): void {
    message.content = content;
    message.updated = true;
    message.updateTime = this.now();
    this.patches.push({ messageId: message.messageId, content, at: message.updateTime });
  }

  addReaction(messageId: string, emojiType: string): ReactionRecord {
    const reaction = { reactionId: newReactionId(), messageId, emojiType, at: this.now(), removed: false };
    this.reactions.push(reaction);
    return reaction;
  }

  removeReaction(messageId: string, reactionId: string): ReactionRecord | undefined {
    const reaction = this.reactions.find((r) => r.messageId === messageId && r.reactionId === reactionId && !r.removed);
    if (reaction) reaction.removed = true;
    return reaction;
  }

  list(query: ListQuery): ListPage {
    const from = query.startTimeSeconds !== undefined ? query.startTimeSeconds * 1000 : -Infinity;
    const to = query.endTimeSeconds !== undefined ? (query.endTimeSeconds + 1) * 1000 : Infinity;
    const matching = this.messages
      .map((message, order) => ({ message, order }))
      .filter(({ message }) => message.chatId === query.chatId && message.createTime >= from && message.createTime < to)
      .sort((a, b) => a.message.createTime - b.message.createTime || a.order - b.order)
      .map(({ message }) => message);
    if (query.descending) matching.reverse();
    const items = matching.slice(query.offset, query.offset + query.pageSize);
    const next = query.offset + items.length;
    return next < matching.length ? { items, nextOffset: next } : { items };
  }

  /** A message as the im APIs return it (create/reply answers and list items share the shape). */
  toApiItem(message: StoredMessage, tenantKey: string): Record<string, unknown> {
    return {
      message_id: message.messageId,
      ...(message.rootId ? { root_id: message.rootId } : {}),
      ...(message.parentId ? { parent_id: message.parentId } : {}),
      ...(message.threadId ? { thread_id: message.threadId } : {}),
      msg_type: message.msgType,
      create_time: String(message.createTime),
      update_time: String(message.updateTime),
      deleted: false,
      updated: message.updated,
      chat_id: message.chatId,
      sender: {
        id: message.sender.id,
        id_type: message.sender.idType,
        sender_type: message.sender.senderType,
        tenant_key: tenantKey,
      },
      body: { content: JSON.stringify(listContentOf(message)) },
      ...(message.mentions.length > 0
        ? {
            mentions: message.mentions.map((m) => ({
              key: m.key,
              id: m.openId,
              id_type: 'open_id',
              name: m.name,
              tenant_key: tenantKey,
            })),
          }
        : {}),
    };
  }

  private insert(fields: Omit<StoredMessage, 'messageId' | 'updateTime' | 'updated'>): StoredMessage {
    const message: StoredMessage = { ...fields, messageId: newMessageId(), updateTime: fields.createTime, updated: false };
    this.messages.push(message);
    this.byId.set(message.messageId, message);
    return message;
  }
}

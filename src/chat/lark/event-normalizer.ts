import { z } from 'zod';
import type { CardClick, ChatMessage } from '../core/chat-message';

/**
 * Pure translations from Lark's JSON to our types, at the edge. Only the fields we read are
 * validated; anything else Lark adds is ignored. Message text is data: it is flattened, never run.
 */

/** The bot's own ids, to tell a mention of the bot from a mention of anyone else. */
export interface BotIdentity {
  openId?: string;
  appId?: string;
}

/** A `card.action.trigger` callback as the core takes clicks, with Lark's delivery id. */
export type LarkCardClick = CardClick & { eventId: string };

export type LarkEvent =
  | { kind: 'message'; eventId: string; message: ChatMessage }
  | { kind: 'card-action'; eventId: string; action: LarkCardClick }
  | { kind: 'other'; eventId: string; eventType: string };

export class LarkEventError extends Error {
  override name = 'LarkEventError';
}

const Id = z.string().min(1).max(200);
const MillisString = z.string().regex(/^\d{1,15}$/, 'expected milliseconds as a string');

const MentionSchema = z.object({
  key: z.string(),
  id: z.union([z.string(), z.object({ open_id: z.string().nullish(), union_id: z.string().nullish(), user_id: z.string().nullish() })]),
  name: z.string().nullish(),
});
type Mention = z.infer<typeof MentionSchema>;
const Mentions = z.array(MentionSchema).nullish();

/** Schema 2.0 as delivered (`{header, event}`), or as the SDK's EventDispatcher flattens it. */
const EnvelopeSchema = z.object({
  header: z.object({ event_id: Id, event_type: z.string().min(1) }),
  event: z.record(z.string(), z.unknown()),
});
const FlatEventSchema = z.looseObject({ event_id: Id, event_type: z.string().min(1) });

const MessageEventSchema = z.object({
  sender: z.object({
    sender_id: z.object({ open_id: z.string().nullish(), union_id: z.string().nullish(), user_id: z.string().nullish() }).nullish(),
    sender_type: z.string(),
  }),
  message: z.object({
    message_id: Id,
    chat_id: Id,
    message_type: z.string().min(1),
    create_time: MillisString,
    content: z.string(),
    mentions: Mentions,
  }),
});

/** One item of GET /open-apis/im/v1/messages. Custom webhook bots may come without a sender. */
const ListedMessageSchema = z.object({
  message_id: Id,
  chat_id: Id,
  msg_type: z.string().min(1),
  create_time: MillisString,
  sender: z.object({ id: z.string().nullish(), id_type: z.string().nullish(), sender_type: z.string() }).nullish(),
  body: z.object({ content: z.string() }),
  mentions: Mentions,
});

const CardValueSchema = z.object({
  incidentId: Id,
  action: z.string().min(1).max(100),
  kind: z.string().max(100).optional(),
  attempt: z.number().int().min(1).optional(),
  version: z.number().int().min(0).optional(),
});
const CardActionEventSchema = z.object({
  operator: z.object({ open_id: Id }),
  action: z.object({ value: CardValueSchema }),
  context: z.object({ open_message_id: Id, open_chat_id: Id }),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new LarkEventError(`Malformed ${what}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function eventEnvelope(raw: unknown): { eventId: string; eventType: string; event: Record<string, unknown> } {
  if (isRecord(raw) && 'header' in raw) {
    const { header, event } = parse(EnvelopeSchema, raw, 'Lark event');
    return { eventId: header.event_id, eventType: header.event_type, event };
  }
  const flat = parse(FlatEventSchema, raw, 'Lark event');
  return { eventId: flat.event_id, eventType: flat.event_type, event: flat };
}

function parseContent(content: string, what: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    throw new LarkEventError(`Malformed ${what}: content is not JSON.`);
  }
}

const MENTION_PLACEHOLDER = /^@_(user_\d+|all)$/;

/** Text of a rich-text node: `at` keeps its placeholder (resolved later); `note` and similar nest elements. */
function nodeText(node: unknown): string {
  if (!isRecord(node)) return '';
  if (node.tag === 'at') {
    const id = typeof node.user_id === 'string' ? node.user_id : '';
    if (MENTION_PLACEHOLDER.test(id)) return id;
    return `@${typeof node.user_name === 'string' ? node.user_name : id}`;
  }
  const own = typeof node.text === 'string' ? node.text : '';
  const nested = Array.isArray(node.elements) ? node.elements.map(nodeText).join('') : '';
  return own + nested;
}

/** Post and (simplified) interactive content: a title, then rows of nodes. A locale wrapper is unwrapped. */
function richText(content: Record<string, unknown>): string {
  const localized = Object.values(content).find((v) => isRecord(v) && Array.isArray(v.content));
  const body = isRecord(localized) ? localized : content;
  const rows = Array.isArray(body.content) ? body.content : Array.isArray(body.elements) ? body.elements : [];
  const lines = rows.map((row) => (Array.isArray(row) ? row.map(nodeText).join('') : nodeText(row)));
  const title = typeof body.title === 'string' && body.title.trim() ? [body.title] : [];
  return [...title, ...lines].join('\n');
}

function flattenText(msgType: string, content: unknown): string {
  if (!isRecord(content)) return '';
  if (msgType === 'text') return typeof content.text === 'string' ? content.text : '';
  if (msgType === 'post' || msgType === 'interactive') return richText(content);
  return '';
}

function mentionIds(mention: Mention): string[] {
  if (typeof mention.id === 'string') return [mention.id];
  return [mention.id.open_id, mention.id.union_id, mention.id.user_id].filter((id): id is string => !!id);
}

function isBotMention(mention: Mention, bot: BotIdentity): boolean {
  const own = [bot.openId, bot.appId].filter(Boolean);
  return mentionIds(mention).some((id) => own.includes(id));
}

/** `@_user_N` become `@Name`; the bot's own mention is dropped so "@Bot /status X" reads as a command. */
function resolveMentions(text: string, mentions: Mention[], bot: BotIdentity): string {
  const byKey = new Map(mentions.map((m) => [m.key, m]));
  return text
    .replace(/@_(?:user_\d+|all)/g, (key) => {
      const mention = byKey.get(key);
      if (!mention) return key;
      return isBotMention(mention, bot) ? '' : `@${mention.name ?? key.slice(1)}`;
    })
    .trim();
}

interface MessageParts {
  messageId: string;
  chatId: string;
  msgType: string;
  createTime: string;
  content: string;
  mentions: Mention[] | null | undefined;
  sender: ChatMessage['sender'];
  eventId?: string;
}

function toInbound(parts: MessageParts, bot: BotIdentity, what: string): ChatMessage {
  const content = parseContent(parts.content, what);
  const mentions = parts.mentions ?? [];
  return {
    ...(parts.eventId ? { eventId: parts.eventId } : {}),
    messageId: parts.messageId,
    chatId: parts.chatId,
    msgType: parts.msgType,
    content,
    sender: parts.sender,
    mentionsBot: mentions.some((m) => isBotMention(m, bot)),
    createTime: Number(parts.createTime),
    text: resolveMentions(flattenText(parts.msgType, content), mentions, bot),
  };
}

/** An `im.message.receive_v1` event (either envelope shape). */
export function normalizeMessageEvent(raw: unknown, bot: BotIdentity): ChatMessage {
  const { eventId, event } = eventEnvelope(raw);
  const { sender, message } = parse(MessageEventSchema, event, 'im.message.receive_v1 event');
  const ids = sender.sender_id;
  const senderId = ids?.open_id ?? ids?.union_id ?? ids?.user_id ?? 'unknown';
  return toInbound(
    {
      eventId,
      messageId: message.message_id,
      chatId: message.chat_id,
      msgType: message.message_type,
      createTime: message.create_time,
      content: message.content,
      mentions: message.mentions,
      sender: { kind: sender.sender_type === 'user' ? 'user' : 'bot', id: senderId },
    },
    bot,
    'im.message.receive_v1 event',
  );
}

/** An item of the chat history (how bot-posted alerts are seen). */
export function normalizeListedMessage(item: unknown, bot: BotIdentity): ChatMessage {
  const message = parse(ListedMessageSchema, item, 'listed message');
  return toInbound(
    {
      messageId: message.message_id,
      chatId: message.chat_id,
      msgType: message.msg_type,
      createTime: message.create_time,
      content: message.body.content,
      mentions: message.mentions,
      sender: { kind: message.sender?.sender_type === 'user' ? 'user' : 'bot', id: message.sender?.id ?? 'unknown' },
    },
    bot,
    'listed message',
  );
}

/** A `card.action.trigger` callback: the button's value says which incident and what was decided. */
export function normalizeCardAction(raw: unknown): LarkCardClick {
  const { eventId, event } = eventEnvelope(raw);
  const { operator, action, context } = parse(CardActionEventSchema, event, 'card.action.trigger event');
  const { value } = action;
  return {
    eventId,
    incidentId: value.incidentId,
    action: value.action,
    ...(value.kind !== undefined ? { cardKind: value.kind } : {}),
    ...(value.version !== undefined ? { version: value.version } : {}),
    ...(value.attempt !== undefined ? { attempt: value.attempt } : {}),
    operatorId: operator.open_id,
    messageId: context.open_message_id,
    chatId: context.open_chat_id,
  };
}

/** Any event, sorted by type; types we do not handle come back as `other`. */
export function normalizeLarkEvent(raw: unknown, bot: BotIdentity): LarkEvent {
  const { eventId, eventType } = eventEnvelope(raw);
  if (eventType === 'im.message.receive_v1') return { kind: 'message', eventId, message: normalizeMessageEvent(raw, bot) };
  if (eventType === 'card.action.trigger') return { kind: 'card-action', eventId, action: normalizeCardAction(raw) };
  return { kind: 'other', eventId, eventType };
}

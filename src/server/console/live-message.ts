import { z } from 'zod';
import type { WebChatEvent } from '../../chat/web/web-chat';
import { INCIDENT_STATUSES } from '../../domain/incident-status';
import { WEB_MESSAGE_AUTHORS } from '../../store/entities/web-message.entity';
import type { WebMessage } from '../../store/web-message-store';
import type { LiveIncidentChange } from './event-stream';

const JsonObject = z.record(z.string(), z.unknown());

const StoredWebMessage = z.object({
  seq: z.number(),
  messageId: z.string(),
  chatId: z.string(),
  author: z.enum(WEB_MESSAGE_AUTHORS),
  senderId: z.string(),
  text: z.string().nullable(),
  card: JsonObject.nullable(),
  content: JsonObject.nullable(),
  replyTo: z.string().nullable(),
  reactions: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<WebMessage>;

/**
 * What one instance tells the others on the shared live feed. Chat events carry the stored message, as
 * the page upserts it (text or one card: a few KB); transitions carry only ids and states, never the
 * incident's context. `gap`: the sender could not publish something, so the others' pages should reload.
 */
export const LiveMessage = z.discriminatedUnion('kind', [
  z.object({
    from: z.string(),
    kind: z.literal('chat'),
    event: z.object({ type: z.enum(['message.posted', 'message.updated']), message: StoredWebMessage }) satisfies z.ZodType<WebChatEvent>,
  }),
  z.object({
    from: z.string(),
    kind: z.literal('incident'),
    change: z.object({
      incidentId: z.string(),
      eventType: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      status: z.enum(INCIDENT_STATUSES),
    }) satisfies z.ZodType<LiveIncidentChange>,
  }),
  z.object({ from: z.string(), kind: z.literal('gap') }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;

/** A message as sent, before the sender's id is added. */
export type OutgoingLiveMessage = { kind: 'chat'; event: WebChatEvent } | { kind: 'incident'; change: LiveIncidentChange } | { kind: 'gap' };

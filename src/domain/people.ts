import { z } from 'zod';

/** Who did something: a chat user, an API client, or the system itself. */
export const ActorSchema = z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() }).strict();
export type Actor = z.infer<typeof ActorSchema>;

export const SYSTEM_ACTOR: Actor = { id: 'system' };

/** Where a decision came from: a button on a card, or a typed command. */
export const DecisionSourceSchema = z
  .object({ kind: z.enum(['card', 'command', 'api']), messageId: z.string().max(200).optional() })
  .strict();
export type DecisionSource = z.infer<typeof DecisionSourceSchema>;

/** Lark's urgent (加急) notification of a message: in the app, or also by SMS or phone (paid). */
export const URGENT_CHANNELS = ['app', 'sms', 'phone'] as const;
export type UrgentChannel = (typeof URGENT_CHANNELS)[number];

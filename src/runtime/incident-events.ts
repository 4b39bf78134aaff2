import { z } from 'zod';
import { ActorSchema, AlertTallySchema, DecisionSourceSchema } from '../domain';
import type { IncidentEvent } from '../domain';

const decided = { by: ActorSchema, source: DecisionSourceSchema };
const text = z.string().max(2_000).optional();

/** Events from outside the process (people, other incidents), checked before they reach an actor. */
export const IncidentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('diagnosis.approved'), comment: text, ...decided }).strict(),
  z.object({ type: z.literal('diagnosis.rejected'), reason: text, ...decided }).strict(),
  z.object({ type: z.literal('proposal.approved'), comment: text, ...decided }).strict(),
  z.object({ type: z.literal('proposal.rejected'), reason: text, ...decided }).strict(),
  z.object({ type: z.literal('incident.escalate'), reason: text, ...decided }).strict(),
  z.object({ type: z.literal('incident.ignore'), reason: text, ...decided }).strict(),
  z.object({ type: z.literal('incident.retry'), ...decided }).strict(),
  z.object({ type: z.literal('incident.resolve'), note: text, ...decided }).strict(),
  z.object({ type: z.literal('incident.rollback'), reason: text, ...decided }).strict(),
  z
    .object({
      type: z.literal('alert.repeated'),
      status: z.enum(['firing', 'resolved']),
      /** The incident opened for the repeat before triage merged it (a race at intake). */
      fromIncident: z.string().optional(),
      alertMessageId: z.string().max(200).optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('alert.joined'), joined: z.number().int().min(0), alerts: AlertTallySchema, alertMessageId: z.string().max(200).optional() })
    .strict(),
  z
    .object({ type: z.literal('alert.recovered'), recovered: z.number().int().min(0), alerts: AlertTallySchema, alertMessageId: z.string().max(200).optional() })
    .strict(),
]);

type AlertEventType = Extract<IncidentEvent['type'], `alert.${string}`>;
type PersonEventType = Exclude<IncidentEvent['type'], AlertEventType>;

/** Events intake sends about an incident's alerts; never a person's decision. */
export const ALERT_EVENT_TYPES: ReadonlySet<string> = new Set<AlertEventType>(['alert.repeated', 'alert.joined', 'alert.recovered']);

// Keeps the schema and the machine's event union in step: this fails to compile if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const eventSchemaMatchesMachine: Same<z.infer<typeof IncidentEventSchema>['type'], IncidentEvent['type']> = true;

/** Events a person may send, used to tell a caller what the current state accepts. */
export const PERSON_EVENT_TYPES = IncidentEventSchema.options
  .map((o) => o.shape.type.value)
  .filter((t): t is PersonEventType => !ALERT_EVENT_TYPES.has(t));

import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

/** Inbound deliveries already taken (Lark redelivers events for hours): one row per source event id. */
export const InboundEventRecord = defineEntity({
  name: 'InboundEventRecord',
  tableName: 'inbound_events',
  properties: {
    /** e.g. `lark:event:<event_id>`, `lark:message:<message_id>`. */
    key: p.text().primary(),
    /** When the claim was taken (or last taken over). */
    receivedAt: p.datetime(),
    /** When the work the delivery asked for was persisted; a claim without it is in progress, or was left by a crash. */
    doneAt: p.datetime().nullable(),
    /** The delivery as received, kept until its work is done so that another instance can finish it after a crash. */
    replay: p.json<Record<string, unknown>>().nullable(),
    /** How often the claim was taken over from a holder presumed dead: a delivery that keeps failing is given up. */
    takeovers: p.integer().default(0),
  },
  indexes: [
    { name: 'inbound_events_received_at_idx', properties: ['receivedAt'] },
    {
      name: 'inbound_events_unfinished_idx',
      expression: 'create index "inbound_events_unfinished_idx" on "inbound_events" ("received_at") where "done_at" is null and "replay" is not null',
    },
  ],
});
export type InboundEventRecord = InferEntity<typeof InboundEventRecord>;

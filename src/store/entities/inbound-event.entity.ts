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
  },
  indexes: [{ name: 'inbound_events_received_at_idx', properties: ['receivedAt'] }],
});
export type InboundEventRecord = InferEntity<typeof InboundEventRecord>;

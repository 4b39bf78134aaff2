import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

/**
 * A repeat of an open incident's alert that arrived while another instance was working on the
 * incident: acknowledged to its sender, and recorded on the incident once that instance lets go.
 */
export const DeferredAlertRecord = defineEntity({
  name: 'DeferredAlertRecord',
  tableName: 'deferred_alerts',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    incidentId: p.text(),
    /** The create request as the intake made it (alert already redacted). */
    request: p.json<Record<string, unknown>>(),
    createdAt: p.datetime(),
    /** Deliveries tried and refused as busy. */
    attempts: p.integer().default(0),
  },
  indexes: [{ name: 'deferred_alerts_created_at_idx', properties: ['createdAt'] }],
});
export type DeferredAlertRecord = InferEntity<typeof DeferredAlertRecord>;

import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

/** Append-only audit timeline: one row per persisted transition, numbered by the incident's version. */
export const IncidentEventRecord = defineEntity({
  name: 'IncidentEventRecord',
  tableName: 'incident_events',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    incidentId: p.text(),
    seq: p.integer(),
    at: p.datetime(),
    actor: p.text(),
    eventType: p.text(),
    fromState: p.text().nullable(),
    toState: p.text(),
    payload: p.json<Record<string, unknown>>(),
  },
  uniques: [{ name: 'incident_events_incident_seq_unique', properties: ['incidentId', 'seq'] }],
});
export type IncidentEventRecord = InferEntity<typeof IncidentEventRecord>;

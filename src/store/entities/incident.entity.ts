import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

import { INCIDENT_STATUSES } from '../../domain/incident-status';

export const IncidentRecord = defineEntity({
  name: 'IncidentRecord',
  tableName: 'incidents',
  properties: {
    id: p.text().primary(),
    /** Dotted state path, e.g. `open.awaitingDiagnosisApproval`. */
    state: p.text(),
    status: p.enum([...INCIDENT_STATUSES]),
    machineVersion: p.integer(),
    /** Optimistic concurrency: every write is `… WHERE version = $expected`. */
    version: p.integer(),
    fingerprint: p.text(),
    title: p.text(),
    source: p.text(),
    severity: p.text(),
    service: p.text().nullable(),
    chatId: p.text(),
    mergedInto: p.text().nullable(),
    /** How alerts of the same problem find it (see groupKeyOf); null when only its fingerprint does. */
    groupKey: p.text().nullable(),
    /** Earliest persisted deadline of a parked incident: when the sweeper must wake it. */
    wakeAt: p.datetime().nullable(),
    snapshot: p.json<Record<string, unknown>>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  indexes: [
    { name: 'incidents_status_idx', properties: ['status'] },
    { name: 'incidents_fingerprint_idx', properties: ['fingerprint', 'status'] },
    { name: 'incidents_wake_at_idx', properties: ['wakeAt'] },
    { name: 'incidents_group_key_idx', properties: ['groupKey', 'status'] },
  ],
});
export type IncidentRecord = InferEntity<typeof IncidentRecord>;

import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

/**
 * One alert an incident holds (an incident holds a group of them), keyed by the alert's fingerprint. Its
 * status follows the source: firing, or resolved once the recovery notice came. Untrusted text, redacted.
 */
export const IncidentAlertRecord = defineEntity({
  name: 'IncidentAlertRecord',
  tableName: 'incident_alerts',
  properties: {
    incidentId: p.text().primary(),
    fingerprint: p.text().primary(),
    status: p.text(),
    title: p.text(),
    severity: p.text(),
    service: p.text().nullable(),
    /** Host, pod or address: what cards list as affected. */
    instance: p.text().nullable(),
    labels: p.json<Record<string, string>>(),
    /** Where it came from: the monitoring source and, from a chat, the message that carried it. */
    source: p.text(),
    messageId: p.text().nullable(),
    /** Notifications seen for it (repeats included). */
    count: p.integer(),
    firstSeen: p.datetime(),
    lastSeen: p.datetime(),
    resolvedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'incident_alerts_fingerprint_idx', properties: ['fingerprint'] }],
});
export type IncidentAlertRecord = InferEntity<typeof IncidentAlertRecord>;

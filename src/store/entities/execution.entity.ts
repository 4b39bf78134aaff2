import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

export const EXECUTION_STATUSES = ['intent', 'success', 'error', 'no_data', 'unknown'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** One remediation step. The row is written as `intent` before the plugin acts. */
export const ExecutionRecord = defineEntity({
  name: 'ExecutionRecord',
  tableName: 'executions',
  properties: {
    id: p.integer().primary().autoincrement(),
    incidentId: p.text(),
    idempotencyKey: p.text().unique('executions_idempotency_key_unique'),
    pluginId: p.text(),
    args: p.json<Record<string, unknown>>(),
    status: p.enum([...EXECUTION_STATUSES]),
    result: p.json<Record<string, unknown>>().nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'executions_incident_idx', properties: ['incidentId'] }],
});
export type ExecutionRecord = InferEntity<typeof ExecutionRecord>;

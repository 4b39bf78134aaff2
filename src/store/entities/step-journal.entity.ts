import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

export const STEP_STATUSES = ['started', 'done', 'failed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Results of side-effecting steps by idempotency key, so a step re-run after a restart replays, not repeats. */
export const StepJournalRecord = defineEntity({
  name: 'StepJournalRecord',
  tableName: 'step_journal',
  properties: {
    idempotencyKey: p.text().primary(),
    incidentId: p.text(),
    step: p.text(),
    status: p.enum([...STEP_STATUSES]),
    result: p.json<unknown>().nullable(),
    error: p.text().nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'step_journal_incident_idx', properties: ['incidentId'] }],
});
export type StepJournalRecord = InferEntity<typeof StepJournalRecord>;

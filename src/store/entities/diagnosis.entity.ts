import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';
import type { Diagnosis } from '../../domain';

export const DiagnosisRecord = defineEntity({
  name: 'DiagnosisRecord',
  tableName: 'diagnoses',
  properties: {
    id: p.integer().primary().autoincrement(),
    incidentId: p.text(),
    attempt: p.integer(),
    data: p.json<Diagnosis>(),
    createdAt: p.datetime(),
  },
  uniques: [{ name: 'diagnoses_incident_attempt_unique', properties: ['incidentId', 'attempt'] }],
});
export type DiagnosisRecord = InferEntity<typeof DiagnosisRecord>;

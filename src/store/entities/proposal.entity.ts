import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';
import type { PolicyDecision, ProposalOutcome } from '../../domain';

export const ProposalRecord = defineEntity({
  name: 'ProposalRecord',
  tableName: 'proposals',
  properties: {
    id: p.integer().primary().autoincrement(),
    incidentId: p.text(),
    attempt: p.integer(),
    data: p.json<ProposalOutcome>(),
    decision: p.json<PolicyDecision>().nullable(),
    createdAt: p.datetime(),
  },
  uniques: [{ name: 'proposals_incident_attempt_unique', properties: ['incidentId', 'attempt'] }],
});
export type ProposalRecord = InferEntity<typeof ProposalRecord>;

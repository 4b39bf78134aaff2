import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';
import type { SummaryFacts, SummaryProse } from '../../domain/incident-summary';

/**
 * A post-incident summary, one per ending of an incident (`ending`: attempt and outcome, so an escalation
 * resolved later keeps both). Redacted text; TTA and TTR kept as numbers for the console's medians.
 */
export const IncidentSummaryRecord = defineEntity({
  name: 'IncidentSummaryRecord',
  tableName: 'incident_summaries',
  properties: {
    incidentId: p.text().primary(),
    ending: p.text().primary(),
    outcome: p.text(),
    /** `model` or `template`. */
    source: p.text(),
    facts: p.json<SummaryFacts>(),
    prose: p.json<SummaryProse>().nullable(),
    /** The summary as people read it, markdown per language: `{ en, zh-CN }`. */
    text: p.json<{ en: string; 'zh-CN': string }>(),
    service: p.text().nullable(),
    openedAt: p.datetime(),
    endedAt: p.datetime(),
    ttaMs: p.bigint('number').nullable(),
    ttrMs: p.bigint('number').nullable(),
    createdAt: p.datetime(),
  },
});
export type IncidentSummaryRecord = InferEntity<typeof IncidentSummaryRecord>;

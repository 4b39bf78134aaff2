import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

export const AGENT_ACTIVITY_KINDS = ['model_turn', 'tool_call'] as const;
export type AgentActivityKind = (typeof AGENT_ACTIVITY_KINDS)[number];

/**
 * The agent loop's part of the audit timeline: every model turn (tokens, cost, what it asked for) and
 * every tool call it made (plugin, arguments, outcome). Keyed by the step journal's idempotency key,
 * so a replayed step after a crash never records an activity twice.
 */
export const AgentActivityRecord = defineEntity({
  name: 'AgentActivityRecord',
  tableName: 'agent_activity',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    activityKey: p.text().unique(),
    incidentId: p.text(),
    attempt: p.integer(),
    step: p.text(),
    kind: p.enum([...AGENT_ACTIVITY_KINDS]),
    at: p.datetime(),
    provider: p.text().nullable(),
    model: p.text().nullable(),
    inputTokens: p.integer().default(0),
    outputTokens: p.integer().default(0),
    costUsd: p.double().$type<number>().nullable(),
    durationMs: p.integer(),
    cached: p.boolean().default(false),
    detail: p.json<Record<string, unknown>>(),
  },
  indexes: [{ name: 'agent_activity_incident_idx', properties: ['incidentId'] }],
});
export type AgentActivityRecord = InferEntity<typeof AgentActivityRecord>;

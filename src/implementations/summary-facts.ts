import { isPersonEventType } from '../../machines/incident.labels';
import type { SummaryDecision, SummaryFacts, SummaryOutcome } from '../domain/incident-summary';
import type { ReadyContext } from './incident-context';

/** An audit row as the summary reads it (incident_events). */
export interface SummaryAuditRow {
  id: number;
  at: Date;
  actor: string;
  eventType: string;
  fromState?: string | null;
  toState: string;
  payload: Record<string, unknown>;
}

const STEP_TEXT_LIMIT = 300;
const clip = (text: string, limit = STEP_TEXT_LIMIT) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

function decisionOf(row: SummaryAuditRow): SummaryDecision {
  const by = row.payload.by as { name?: unknown } | undefined;
  const name = typeof by?.name === 'string' ? by.name : undefined;
  return { rowId: row.id, at: row.at.toISOString(), by: row.actor, ...(name && { name }), action: row.eventType };
}

/** The last row leaving a state that starts with `prefix` (the transition that recorded that stage's result). */
function lastLeaving(rows: readonly SummaryAuditRow[], prefix: string): SummaryAuditRow | undefined {
  return rows.findLast((row) => row.fromState?.startsWith(prefix) === true && !row.toState.startsWith(prefix));
}

/**
 * The facts of an incident that is ending, from its audit rows (who decided what, when) and its context
 * (what was found, what ran). `rows` are the incident's audit rows in order; the last one is the transition
 * into the announcing state, so its time is the end.
 */
export function summaryFacts(ctx: ReadyContext, rows: readonly SummaryAuditRow[], outcome: SummaryOutcome): SummaryFacts {
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last) throw new Error(`Incident ${ctx.incidentId} has no audit rows to summarise.`);
  const opened = first.at.getTime();
  const decisions = rows.filter((row) => isPersonEventType(row.eventType)).map(decisionOf);
  const firstHuman = decisions[0];
  const ended = last.at.getTime();
  const causeRow = lastLeaving(rows, 'open.diagnosing');
  const stepsRow = lastLeaving(rows, 'remediating');
  const { alert, diagnosis, execution, verification, escalation } = ctx;
  return {
    incidentId: ctx.incidentId,
    outcome,
    openedAt: first.at.toISOString(),
    endedAt: last.at.toISOString(),
    openedRow: first.id,
    fired: {
      title: clip(alert.title),
      ...(alert.service != null && { service: alert.service }),
      severity: alert.severity,
      alerts: Math.max(1, ctx.alerts?.total ?? 1) + (ctx.repeats ?? 0),
    },
    ...(diagnosis && { cause: { ...(causeRow && { rowId: causeRow.id }), summary: clip(diagnosis.summary), rootCause: clip(diagnosis.rootCause) } }),
    decisions,
    steps: (execution?.steps ?? []).map((step) => ({ pluginId: step.pluginId, status: step.status, summary: clip(step.summary) })),
    ...(stepsRow && execution && { stepsRow: stepsRow.id }),
    ...(execution?.dryRun && { dryRun: true }),
    ...(verification && { verified: verification.passed }),
    ...(outcome === 'escalated' && escalation && { escalationReason: escalation.reason }),
    ttaMs: firstHuman ? Date.parse(firstHuman.at) - opened : null,
    ttrMs: outcome === 'escalated' ? null : ended - opened,
    rows: rows.map((row) => row.id),
  };
}

import type { IncidentView } from '../../runtime/incident-service';
import type { HeldAlert } from '../../domain/alert-group';
import type { ConsoleQueries, IncidentRow } from '../../store/console-queries';
import type { AgentActivityRecord, ExecutionRecord, IncidentEventRecord } from '../../store/entities';

/** What the incident list shows per row. */
export function listItem(row: IncidentRow) {
  return {
    id: row.id,
    title: row.title,
    state: row.state,
    status: row.status,
    severity: row.severity,
    service: row.service ?? null,
    source: row.source,
    mergedInto: row.mergedInto ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface TimelineEntry {
  at: string;
  kind: 'transition' | 'agent';
  /** Who: a person's id, `system`, or the model. */
  actor: string;
  what: string;
  fromState: string | null;
  toState: string | null;
  /** What the audit row or activity recorded, for the curious; capped. */
  detail: unknown;
}

/** Big payloads (a diagnosis in a step's output) are cut, so the page stays light; the store keeps them whole. */
const DETAIL_LIMIT = 6_000;

function capped(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length <= DETAIL_LIMIT ? value : `${text.slice(0, DETAIL_LIMIT)}… (${text.length} characters)`;
}

/** The audit rows and the agent's activity, merged, oldest first. */
function timelineOf(audit: IncidentEventRecord[], activity: AgentActivityRecord[]): TimelineEntry[] {
  return [
    ...audit.map((row): TimelineEntry => ({ at: row.at.toISOString(), kind: 'transition', actor: row.actor, what: row.eventType, fromState: row.fromState ?? null, toState: row.toState, detail: capped(row.payload) })),
    ...activity.map(activityEntry),
  ].sort((a, b) => a.at.localeCompare(b.at));
}

function activityEntry(row: AgentActivityRecord): TimelineEntry {
  return {
    at: row.at.toISOString(),
    kind: 'agent',
    actor: row.model ? `${row.provider ?? 'model'}/${row.model}` : (row.provider ?? 'agent'),
    what: `${row.kind === 'model_turn' ? 'model turn' : 'tool call'} · ${row.step} (attempt ${row.attempt})`,
    fromState: null,
    toState: null,
    detail: capped({ ...row.detail, durationMs: row.durationMs, inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: row.costUsd, cached: row.cached }),
  };
}

/** The incident itself: its row and what its chart's context says. */
function incidentSummary(view: IncidentView) {
  const { context } = view;
  return {
    id: view.id,
    title: view.title,
    state: view.state,
    status: view.status,
    severity: view.severity,
    service: view.service,
    chatId: view.chatId,
    mergedInto: view.mergedInto,
    wakeAt: view.wakeAt?.toISOString() ?? null,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    accepts: view.accepts,
    attempt: context.attempt,
    repeats: context.repeats,
    alert: context.alert,
    approvals: context.approvals,
    deadlines: context.deadlines,
    escalation: context.escalation,
    resolution: context.resolution,
    verification: context.verification,
  };
}

function heldAlertItem(alert: HeldAlert) {
  return {
    fingerprint: alert.fingerprint,
    status: alert.status,
    title: alert.title,
    severity: alert.severity,
    instance: alert.instance,
    labels: alert.labels,
    source: alert.source,
    count: alert.count,
    firstSeen: alert.firstSeen.toISOString(),
    lastSeen: alert.lastSeen.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
  };
}

function executionItem(row: ExecutionRecord) {
  return {
    pluginId: row.pluginId,
    args: row.args,
    status: row.status,
    result: capped(row.result),
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Everything recorded about one incident: its state, the audit timeline, and each attempt's records. */
export async function incidentDetails(view: IncidentView, queries: ConsoleQueries) {
  const [audit, activity, diagnoses, proposals, executions, alerts] = await Promise.all([
    queries.timeline(view.id),
    queries.agentActivity(view.id),
    queries.diagnoses(view.id),
    queries.proposals(view.id),
    queries.executions(view.id),
    queries.alerts(view.id),
  ]);
  return {
    incident: incidentSummary(view),
    /** States the incident has been in, oldest first: the statechart shows the path. */
    visited: [...new Set(audit.map((row) => row.toState))],
    /** Each transition taken, `[from, to]`, so the statechart can mark the edges along the path. */
    steps: audit.filter((row) => row.fromState && row.fromState !== row.toState).map((row) => [row.fromState, row.toState]),
    timeline: timelineOf(audit, activity),
    /** The alerts it holds; `tally` counts them all when the list is capped. */
    alerts: alerts.map(heldAlertItem),
    tally: view.context.alerts ?? null,
    diagnoses: diagnoses.map((row) => ({ attempt: row.attempt, at: row.createdAt.toISOString(), diagnosis: row.data })),
    proposals: proposals.map((row) => ({ attempt: row.attempt, at: row.createdAt.toISOString(), outcome: row.data, decision: row.decision ?? null })),
    executions: executions.map(executionItem),
  };
}

import type { IncidentView } from '../../runtime/incident-service';
import type { HeldAlert } from '../../domain/alert-group';
import type { ConsoleQueries, IncidentRow } from '../../store/console-queries';
import type { ExecutionRecord } from '../../store/entities';
import { phaseLabel, phaseOf } from '../../../machines/incident.view';
import type { IncidentPhase } from '../../../machines/incident.view';
import type { Label } from '../../../machines/incident.labels';
import { capped, timelineOf } from './incident-timeline';

/** Where an incident stands, as people read it; the state path stays in `state` for the statechart only. */
export interface PhaseItem {
  id: IncidentPhase;
  label: Label;
}

export const phaseItem = (phase: IncidentPhase): PhaseItem => ({ id: phase, label: phaseLabel(phase) });

/** What the incident list shows per row. */
export function listItem(row: IncidentRow) {
  return {
    id: row.id,
    title: row.title,
    state: row.state,
    phase: phaseItem(phaseOf(row.state)),
    status: row.status,
    severity: row.severity,
    service: row.service ?? null,
    source: row.source,
    mergedInto: row.mergedInto ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The incident itself: its row and what its chart's context says. */
function incidentSummary(view: IncidentView) {
  const { context } = view;
  return {
    id: view.id,
    title: view.title,
    state: view.state,
    phase: phaseItem(view.workflow.phase),
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
    // Where a running fix is, for the statechart's "Step 2 of 3": plugins and statuses only, never a step's data.
    proposal: context.proposal && { kind: context.proposal.kind ?? 'fix', steps: context.proposal.steps.map(({ pluginId, summary }) => ({ pluginId, summary })) },
    execution: context.execution && { steps: context.execution.steps.map(({ pluginId, status }) => ({ pluginId, status })) },
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
    /** Similar past incidents the current diagnosis recalled (the "Seen before" panel); null when it recalled none. */
    seenBefore: view.context.diagnosis?.seenBefore ?? null,
  };
}

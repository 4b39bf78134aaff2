import { getShortestPaths } from '@xstate/graph';
import type { AnyStateNode, EventObject, SnapshotFrom } from 'xstate';
import { incidentMachine } from '../../machines/incident.machine';
import { stepsToUndo } from '../../machines/incident.rules';
import type { IncidentEvent } from '../../src/domain';
import { PERSON_EVENT_TYPES } from '../../src/runtime/incident-events';
import { statusOf } from '../../src/runtime/snapshot-info';
import { FIX_STEP_REPORTS, SAMPLE_OUTPUTS } from './sample-outputs';

type Snapshot = SnapshotFrom<typeof incidentMachine>;
export interface PathStep {
  event: EventObject;
  /** Dotted state the incident must be in after this step. */
  state: string;
  status: 'active' | 'parked' | 'done';
}
export interface ChartPath {
  name: string;
  steps: PathStep[];
}

export const GRAPH_INPUT = {
  incidentId: 'INC-GRAPH000',
  chatId: 'graph',
  alert: { source: 'test', fingerprint: 'fp', title: 'Graph', status: 'firing' as const, severity: 'high' as const, labels: {} },
  timeouts: { diagnosisApproval: 1, proposalApproval: 1, diagnosisStep: 1, proposalStep: 1, executionStep: 1, verificationStep: 1, recoveryQuiet: 1, reopenWindow: 1, rollbackWindow: 3_600_000 },
};

const BY = { by: { id: 'path-tester' }, source: { kind: 'command' as const } };
/** A second person, so a fix that needs two approvers can be approved. */
const SECOND = { by: { id: 'path-tester-2' }, source: { kind: 'command' as const } };

/** Every state node of the chart, the root excluded. */
export function allStateNodes(node: AnyStateNode = incidentMachine.root): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...allStateNodes(child)]);
}

/** Every transition of the chart, one key per guarded alternative: `source|event|index`. */
export function allTransitionKeys(): string[] {
  return [incidentMachine.root, ...allStateNodes()].flatMap((node) =>
    [...node.transitions.entries()].flatMap(([eventType, candidates]) =>
      candidates.map((_, index) => `${node.id}|${eventType}|${index}`),
    ),
  );
}

export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? [];
  return key === undefined ? '' : `${key}.${stateName(child)}`;
}

/** Events worth trying in a state: done/error of each running invoke (one per sample output) and every person event. */
function eventsFor(snapshot: Snapshot): EventObject[] {
  const events: EventObject[] = [];
  for (const node of snapshot._nodes) {
    for (const invoke of node.invoke) {
      const src = typeof invoke.src === 'string' ? invoke.src : invoke.id;
      const outputs = SAMPLE_OUTPUTS[src];
      if (!outputs) throw new Error(`No sample outputs for invoked actor "${src}" (test/paths/sample-outputs.ts).`);
      for (const output of outputs) events.push({ type: `xstate.done.actor.${invoke.id}`, output } as EventObject);
      if (src === 'fix') events.push(...FIX_STEP_REPORTS.map((report) => ({ type: 'fix.stepped', ...report })));
      if (src !== 'waitUntil') events.push({ type: `xstate.error.actor.${invoke.id}`, error: new Error(`${invoke.id} failed`) } as EventObject);
    }
  }
  for (const type of PERSON_EVENT_TYPES) events.push({ type, ...BY });
  events.push({ type: 'proposal.approved', ...SECOND });
  events.push({ type: 'alert.repeated', fromIncident: 'INC-OTHER000', status: 'firing' } as IncidentEvent);
  // A late joiner; one alert of two recovering; the last one recovering.
  const alertEvents: IncidentEvent[] = [
    { type: 'alert.joined', joined: 1, alerts: tally(2, 2) },
    { type: 'alert.recovered', recovered: 1, alerts: tally(2, 1) },
    { type: 'alert.recovered', recovered: 1, alerts: tally(2, 0) },
  ];
  events.push(...alertEvents);
  return events;
}

function tally(total: number, firing: number) {
  return { total, firing, affected: ['node-1', 'node-2'], affectedTotal: 2, lastAt: '2026-12-07T00:00:00.000Z' };
}

/** Waiting for approval also depends on how many approvals the decision needs and has: separate states for the graph. */
function approvalProgress(snapshot: Snapshot): string {
  if (!snapshot.matches({ open: 'notifyingProposal' }) && !snapshot.matches({ open: 'awaitingProposalApproval' })) return '';
  const { decision, approvals } = snapshot.context;
  return `:${decision?.approvalsRequired ?? 0}/${approvals.proposalApprovers?.length ?? 0}`;
}
/** What the fix's guards read: the kind of fix, whether it could be undone, what ran and whether that can be. */
function rollbackFacts(snapshot: Snapshot): string {
  const { proposal, execution } = snapshot.context;
  const declared = proposal?.steps.some((step) => step.undo === 'rollback') ?? false;
  // Steps so far counted up to 2 (the longest sample fix), so the graph stays finite.
  const ran = execution ? `${Math.min(execution.steps.length, 2)}${execution.succeeded ? 's' : ''}${execution.dryRun ? 'd' : ''}` : '-';
  return `:${proposal?.kind ?? 'fix'}:${declared}:${stepsToUndo(snapshot.context).length > 0}:${ran}`;
}
const serializeState = (snapshot: Snapshot) => `${snapshot.status}:${JSON.stringify(snapshot.value)}${approvalProgress(snapshot)}${rollbackFacts(snapshot)}`;
const serializeEvent = (event: EventObject) => JSON.stringify(event, (k, v: unknown) => (k === 'error' ? String(v) : v));

/** Which transition (as in allTransitionKeys) an event takes from a snapshot, if any. */
export function transitionTaken(snapshot: Snapshot, event: EventObject): string | undefined {
  const [taken] = incidentMachine.getTransitionData(snapshot, event as IncidentEvent);
  if (!taken) return undefined;
  const index = taken.source.transitions.get(taken.eventType)?.indexOf(taken) ?? -1;
  return `${taken.source.id}|${taken.eventType}|${index}`;
}

function toStep(event: EventObject, snapshot: Snapshot): PathStep {
  return { event, state: stateName(snapshot.value), status: statusOf(snapshot) };
}

/**
 * Paths derived from the production chart: the shortest path to every state, extended by one event
 * for every transition those paths do not take yet. Together they take every transition.
 */
export function generatePaths(): { paths: ChartPath[]; covered: Set<string> } {
  const shortest = getShortestPaths(incidentMachine, {
    input: GRAPH_INPUT,
    events: eventsFor,
    serializeState,
    serializeEvent,
  } as unknown as Parameters<typeof getShortestPaths<typeof incidentMachine>>[1]);
  const covered = new Set<string>();
  const paths: ChartPath[] = [];
  const record = (steps: { event: EventObject; state: Snapshot }[], name: string) => {
    const withBefore = steps.slice(1).map((step, i) => ({ step, before: steps[i]!.state }));
    for (const { step, before } of withBefore) {
      const key = transitionTaken(before, step.event);
      if (key) covered.add(key);
    }
    paths.push({ name, steps: steps.slice(1).map((s) => toStep(s.event, s.state)) });
  };
  for (const path of shortest) {
    record(path.steps, `reach ${stateName(path.state.value)}`);
  }
  for (const path of shortest) {
    if (path.state.status !== 'active') continue; // a final state takes nothing
    for (const event of eventsFor(path.state)) {
      const key = transitionTaken(path.state, event);
      if (!key || covered.has(key)) continue;
      const next = incidentMachine.transition(path.state, event as IncidentEvent, dummyScope());
      record([...path.steps, { event, state: next }], `${stateName(path.state.value)} --${event.type}--> ${stateName(next.value)} (${key})`);
    }
  }
  return { paths, covered };
}

/** Pure transitions need an actor scope only to collect (not run) actions. */
function dummyScope(): Parameters<typeof incidentMachine.transition>[2] {
  return {
    self: undefined,
    defer: () => {},
    system: { _bookId: () => 'x', _register: () => 'x', _unregister: () => {}, _set: () => {}, get: () => undefined, _sendInspectionEvent: () => {}, _relay: () => {} },
    stopChild: () => {},
    emit: () => {},
    actionExecutor: () => {},
  } as unknown as Parameters<typeof incidentMachine.transition>[2];
}

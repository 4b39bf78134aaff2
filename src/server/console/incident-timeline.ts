import { eventLabel } from '../../../machines/incident.labels';
import type { Label } from '../../../machines/incident.labels';
import { phaseLabel, phaseOf } from '../../../machines/incident.view';
import type { AgentActivityRecord, IncidentEventRecord } from '../../store/entities';
import { consoleText } from './console-text';
import { fixStepRowLabel } from './fix-step-row';

/** What the audit row recorded, as it recorded it: the page shows it one click away, not inline. */
export interface TransitionRaw {
  eventType: string;
  fromState: string | null;
  toState: string;
  detail: unknown;
}

/** What the agent's activity row recorded, as it recorded it. */
export interface AgentRaw {
  activity: AgentActivityRecord['kind'];
  step: string;
  attempt: number;
  detail: unknown;
}

/** One row of the incident page's timeline: plain words first, the recorded data under `raw`. */
export type TimelineEntry = {
  at: string;
  /** Who: a person's id, `system`, or the model. */
  actor: string;
  /** What happened, in every language the labels have (the page picks one). */
  what: Label;
  /** The phase before and after a transition; null for the agent's activity (and `from` for the first row). */
  from: Label | null;
  to: Label | null;
} & ({ kind: 'transition'; raw: TransitionRaw } | { kind: 'agent'; raw: AgentRaw });

/** Big payloads (a diagnosis in a step's output) are cut, so the page stays light; the store keeps them whole. */
const DETAIL_LIMIT = 6_000;

export function capped(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length <= DETAIL_LIMIT ? value : `${text.slice(0, DETAIL_LIMIT)}… (${text.length} characters)`;
}

/** The audit rows and the agent's activity, merged, oldest first. */
export function timelineOf(audit: IncidentEventRecord[], activity: AgentActivityRecord[]): TimelineEntry[] {
  return [...audit.map(transitionEntry), ...activity.map(activityEntry)].sort((a, b) => a.at.localeCompare(b.at));
}

const phaseLabelOf = (state: string): Label => phaseLabel(phaseOf(state));

function transitionEntry(row: IncidentEventRecord): TimelineEntry {
  const fromState = row.fromState ?? null;
  return {
    at: row.at.toISOString(),
    kind: 'transition',
    actor: row.actor,
    what: fixStepRowLabel(row.eventType, row.payload) ?? eventLabel(row.eventType),
    from: fromState === null ? null : phaseLabelOf(fromState),
    to: phaseLabelOf(row.toState),
    raw: { eventType: row.eventType, fromState, toState: row.toState, detail: capped(row.payload) },
  };
}

/** The agent loop's steps in words (diagnosing, working out a fix; another step by its name), whole sentences per language. */
function activityLabel(row: AgentActivityRecord): Label {
  const values = { step: row.step, attempt: row.attempt };
  if (row.kind === 'model_turn') return consoleText('console.timeline.modelTurn', values);
  const tool = typeof row.detail.pluginId === 'string' ? row.detail.pluginId : undefined;
  return tool ? consoleText('console.timeline.toolCall', { ...values, tool }) : consoleText('console.timeline.toolCallUnnamed', values);
}

function activityEntry(row: AgentActivityRecord): TimelineEntry {
  return {
    at: row.at.toISOString(),
    kind: 'agent',
    actor: row.model ? `${row.provider ?? 'model'}/${row.model}` : (row.provider ?? 'agent'),
    what: activityLabel(row),
    from: null,
    to: null,
    raw: {
      activity: row.kind,
      step: row.step,
      attempt: row.attempt,
      detail: capped({ ...row.detail, durationMs: row.durationMs, inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: row.costUsd, cached: row.cached }),
    },
  };
}

import { phaseOf } from '../../machines/incident.view';
import type { IncidentPhase } from '../../machines/incident.view';
import type { IncidentChange } from '../runtime/incident-service';

/** What the chart's implementations ask of storms: where an incident's card goes while its chat storms. */
export interface StormThreads {
  /** The storm card to reply under, when the incident belongs to a storm; undefined otherwise. */
  threadFor(incident: { incidentId: string; chatId: string }): Promise<string | undefined>;
}

/** Where triage decides whether the alert is a problem of its own (a merge whose original closed lets it through). */
const DECIDING: ReadonlySet<IncidentPhase> = new Set<IncidentPhase>(['triaging', 'merging']);
/** Where triage sends a repeat or noise: those never count as opening. */
const NOT_OPENED: ReadonlySet<IncidentPhase> = new Set<IncidentPhase>(['merging', 'merged', 'ignored']);

/**
 * Did this transition open an incident in its chat? Triage (or a merge whose original had closed) let it
 * through as a problem of its own. Merged repeats and noise never count; flaps reopen, they do not open.
 */
export function opensIncident(change: Pick<IncidentChange, 'eventType' | 'fromState' | 'toState'>): boolean {
  const leavingTriage = change.fromState !== null && DECIDING.has(phaseOf(change.fromState));
  return leavingTriage && change.eventType.startsWith('xstate.') && change.toState !== change.fromState && !NOT_OPENED.has(phaseOf(change.toState));
}

/**
 * Does this transition change how the storm card shows the incident: it ended (resolved, dismissed,
 * recovered at source) or now waits for people (parked)? Steps in between do not.
 */
export function changesStanding(change: Pick<IncidentChange, 'fromState' | 'toState' | 'status'>): boolean {
  if (change.fromState === change.toState) return false;
  return change.status !== 'active' || phaseOf(change.toState) === 'recovered';
}

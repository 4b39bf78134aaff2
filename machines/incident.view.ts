/**
 * The incident chart's answers to the questions the rest of the code asks: which phase an incident is in,
 * which card waits for a person, whether it still counts as opening, whether it holds a diagnosis slot,
 * what a person may send now, and whether a click comes from the current card. Callers ask these and never
 * spell a state path: this file is the one place that maps the chart's states, and a test walks the chart
 * and fails when a state maps to no phase.
 */
import type { IncidentContext } from '../src/domain';
import type { Label } from './incident.labels';
import { PHASE_LABELS } from './incident.labels';
import { fromCurrentCard } from './incident.rules';
import type { Decided, DecisionCard } from './incident.rules';

export type { DecisionCard } from './incident.rules';

/** Stable ids of where an incident stands; renaming a state in the editor changes the mapping below, not these. */
export const INCIDENT_PHASES = [
  'triaging',
  'merging',
  'waitingForSlot',
  'diagnosing',
  'postingDiagnosis',
  'awaitingDiagnosisApproval',
  'remindingDiagnosis',
  'proposing',
  'checkingPolicy',
  'postingProposal',
  'awaitingProposalApproval',
  'remindingProposal',
  'remediating',
  'verifying',
  'resolving',
  'resolved',
  'escalating',
  'escalated',
  'escalatedRecovered',
  'recovering',
  'recovered',
  'ignored',
  'merged',
  /** Not a chart state: the runtime's name for a statechart that threw. */
  'crashed',
  /** A state this chart does not have (a snapshot written by another version). */
  'unknown',
] as const;
export type IncidentPhase = (typeof INCIDENT_PHASES)[number];

/** The chart's state paths (as the runtime writes them) to phases: the one place that spells them. */
const PHASE_OF_STATE: Readonly<Record<string, IncidentPhase>> = {
  'open.triaging': 'triaging',
  'open.merging': 'merging',
  'open.awaitingDiagnosisSlot': 'waitingForSlot',
  'open.diagnosing': 'diagnosing',
  'open.notifyingDiagnosis': 'postingDiagnosis',
  'open.awaitingDiagnosisApproval': 'awaitingDiagnosisApproval',
  'open.remindingDiagnosis': 'remindingDiagnosis',
  'open.proposing': 'proposing',
  'open.evaluatingPolicy': 'checkingPolicy',
  'open.notifyingProposal': 'postingProposal',
  'open.awaitingProposalApproval': 'awaitingProposalApproval',
  'open.remindingProposal': 'remindingProposal',
  'remediating.executing': 'remediating',
  'remediating.verifying': 'verifying',
  resolving: 'resolving',
  resolved: 'resolved',
  escalating: 'escalating',
  escalated: 'escalated',
  escalatedRecovered: 'escalatedRecovered',
  recovering: 'recovering',
  recovered: 'recovered',
  ignored: 'ignored',
  merged: 'merged',
  crashed: 'crashed',
};

/** Nothing has been changed on any system yet: the incident still counts as opening (grouping, storms). */
const OPENING: ReadonlySet<IncidentPhase> = new Set<IncidentPhase>([
  'triaging',
  'merging',
  'waitingForSlot',
  'diagnosing',
  'postingDiagnosis',
  'awaitingDiagnosisApproval',
  'remindingDiagnosis',
  'proposing',
  'checkingPolicy',
  'postingProposal',
  'awaitingProposalApproval',
  'remindingProposal',
]);
/** Phases in which an incident keeps its diagnosis slot: granted while still waiting, then diagnosing. */
const HOLDS_DIAGNOSIS_SLOT: ReadonlySet<IncidentPhase> = new Set<IncidentPhase>(['waitingForSlot', 'diagnosing']);
const AWAITING: Partial<Record<IncidentPhase, DecisionCard>> = {
  awaitingDiagnosisApproval: 'diagnosis',
  awaitingProposalApproval: 'proposal',
};

type PersonEventType = Decided['type'];

/** Every event a person may send, in the order replies list them; the Record makes the compiler check it is all of them. */
const PERSON_EVENTS: Record<PersonEventType, true> = {
  'diagnosis.approved': true,
  'diagnosis.rejected': true,
  'proposal.approved': true,
  'proposal.rejected': true,
  'incident.escalate': true,
  'incident.ignore': true,
  'incident.retry': true,
  'incident.resolve': true,
  'incident.rollback': true,
};
const PERSON_EVENT_TYPES = Object.keys(PERSON_EVENTS) as PersonEventType[];
const PROBE: Omit<Decided, 'type'> = { by: { id: 'probe' }, source: { kind: 'command' } };

/** Where the incident stands in its workflow, as callers should read it. */
export interface WorkflowView {
  phase: IncidentPhase;
  /** What people read for the phase. */
  label: Label;
  /** The card that waits for a person's decision now, if any. */
  awaiting: DecisionCard | undefined;
  /** The message id of that card, once posted. */
  awaitingCard: string | undefined;
  /** Nothing changed on any system yet: counts as opening for alert grouping and storms. */
  opening: boolean;
  /** Recovered by itself and watched for a relapse: an alert of its group firing again reopens it. */
  watchingForRelapse: boolean;
  /** Holds one of this instance's diagnosis slots (waiting for it or diagnosing). */
  holdsDiagnosisSlot: boolean;
  /** Events a person may send now, from the chart (`snapshot.can`); empty for finished incidents. */
  accepts: PersonEventType[];
}

/** The phase of a state path as the runtime writes it (`open.diagnosing`, `resolved`, `crashed`). */
export function phaseOf(state: string): IncidentPhase {
  return Object.hasOwn(PHASE_OF_STATE, state) ? (PHASE_OF_STATE[state] as IncidentPhase) : 'unknown';
}

export function phaseLabel(phase: IncidentPhase): Label {
  return PHASE_LABELS[phase];
}

export function opensWhileIn(phase: IncidentPhase): boolean {
  return OPENING.has(phase);
}

export function holdsDiagnosisSlotIn(phase: IncidentPhase): boolean {
  return HOLDS_DIAGNOSIS_SLOT.has(phase);
}

/** The card a phase waits on a person for, if any. */
export function awaitingIn(phase: IncidentPhase): DecisionCard | undefined {
  return AWAITING[phase];
}

/** The chart's state paths whose phase satisfies `pick`: for stores that filter rows by their state column. */
export function statePathsWhere(pick: (phase: IncidentPhase) => boolean): string[] {
  return Object.entries(PHASE_OF_STATE)
    .filter(([, phase]) => pick(phase))
    .map(([state]) => state);
}

/**
 * The workflow view of an incident: its state path and context, and, for an incident that may still move,
 * the resolved snapshot (only `can` is read) to work out what a person may send.
 */
export function workflowOf(state: string, context: Pick<IncidentContext, 'cards'>, snapshot?: { can(event: Decided): boolean }): WorkflowView {
  const phase = phaseOf(state);
  const awaiting = awaitingIn(phase);
  return {
    phase,
    label: phaseLabel(phase),
    awaiting,
    awaitingCard: awaiting ? context.cards[awaiting] : undefined,
    opening: opensWhileIn(phase),
    watchingForRelapse: phase === 'recovered',
    holdsDiagnosisSlot: holdsDiagnosisSlotIn(phase),
    accepts: snapshot ? PERSON_EVENT_TYPES.filter((type) => snapshot.can({ ...PROBE, type })) : [],
  };
}

/** The events that decide a card (the chart guards them with `isFromCurrentCard` for that card). */
const CARD_DECIDED_BY: Partial<Record<string, DecisionCard>> = {
  'diagnosis.approved': 'diagnosis',
  'diagnosis.rejected': 'diagnosis',
  'proposal.approved': 'proposal',
  'proposal.rejected': 'proposal',
};

/** The card an event decides, if it decides one (escalate, ignore, retry and resolve decide none). */
export function cardDecidedBy(eventType: string): DecisionCard | undefined {
  return Object.hasOwn(CARD_DECIDED_BY, eventType) ? CARD_DECIDED_BY[eventType] : undefined;
}

/** A decision from a card's button: which card it decides, the card's message, and the attempt it was made for. */
export interface ClickedCard {
  card: DecisionCard | undefined;
  messageId: string;
  /** Set on cards made for one attempt (a retry or a reopening starts the next). */
  attempt?: number;
}

/**
 * Whether a click may still decide: `olderAttempt` (made before a retry or reopening), `replaced` (a newer
 * card of its kind was posted), `notPosted` (no card of its kind is current: the chart will refuse it), or
 * `current`. The same rule as the chart's `isFromCurrentCard` guard, plus the attempt the card carries.
 */
export function cardStanding(
  context: Pick<IncidentContext, 'cards' | 'attempt'>,
  click: ClickedCard,
): 'current' | 'olderAttempt' | 'replaced' | 'notPosted' {
  if (click.attempt !== undefined && click.attempt !== context.attempt) return 'olderAttempt';
  if (!click.card) return 'current';
  if (fromCurrentCard(context, { source: { kind: 'card', messageId: click.messageId } }, click.card)) return 'current';
  return context.cards[click.card] === undefined ? 'notPosted' : 'replaced';
}

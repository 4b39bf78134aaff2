import { describe, expect, it } from 'vitest';
import { incidentMachine } from '../../machines/incident.machine';
import {
  awaitingIn,
  cardDecidedBy,
  cardStanding,
  holdsDiagnosisSlotIn,
  INCIDENT_PHASES,
  opensWhileIn,
  phaseOf,
  statePathsWhere,
  workflowOf,
} from '../../machines/incident.view';
import type { IncidentContext, IncidentEvent } from '../../src/domain';
import { chartLeafNodes, pathOf } from '../support/chart-walk';
import { incidentContext } from '../support/incident-context';

const leaves = chartLeafNodes();
const leafPaths = leaves.map(pathOf);

type StateValue = Parameters<typeof incidentMachine.resolveState>[0]['value'];

/** The resolved snapshot of an incident resting in `path` (`open.diagnosing` → `{ open: 'diagnosing' }`) with `context`. */
function snapshotAt(path: string, context: IncidentContext) {
  const [last = '', ...outer] = path.split('.').reverse();
  const value = outer.reduce<StateValue>((child, key) => ({ [key]: child }), last);
  return incidentMachine.resolveState({ value, context });
}

describe('the workflow view of the incident chart', () => {
  it('maps every state an incident can be in to a phase of its own', () => {
    const unmapped = leafPaths.filter((path) => phaseOf(path) === 'unknown');
    expect(unmapped).toEqual([]);
    const phases = leafPaths.map(phaseOf);
    expect(new Set(phases).size).toBe(phases.length);
    // Every phase but the runtime's own two is some state of the chart: no phase outlives its state.
    expect(INCIDENT_PHASES.filter((phase) => !phases.includes(phase))).toEqual(['crashed', 'unknown']);
  });

  it('names only states the chart has when a store filters rows by state', () => {
    const everyPath = statePathsWhere(() => true);
    expect(everyPath.filter((path) => path !== 'crashed' && !leafPaths.includes(path))).toEqual([]);
  });

  it('counts as opening exactly while nothing has been changed: the states inside the chart’s `open`', () => {
    const insideOpen = leaves.filter((node) => node.path[0] === 'open').map(pathOf);
    expect(statePathsWhere(opensWhileIn).sort()).toEqual(insideOpen.sort());
  });

  it('waits on a card exactly where the chart takes that card’s decision', () => {
    for (const node of leaves) {
      const decides = (['diagnosis', 'proposal'] as const).filter((card) => node.transitions.has(`${card}.approved`));
      expect([awaitingIn(phaseOf(pathOf(node)))].filter(Boolean), pathOf(node)).toEqual(decides);
    }
  });

  it('holds a diagnosis slot from waiting for it until the diagnosis leaves the state the slot lets it into', () => {
    const waiting = leaves.find((node) => node.invoke.some((invoke) => invoke.src === 'awaitDiagnosisSlot'));
    const granted = waiting?.transitions.get('xstate.done.actor.awaitDiagnosisSlot')?.[0]?.target?.[0];
    expect(waiting && granted).toBeTruthy();
    const holding = leafPaths.filter((path) => holdsDiagnosisSlotIn(phaseOf(path)));
    expect(holding.sort()).toEqual([pathOf(waiting!), pathOf(granted!)].sort());
  });

  it('says what a person may send now from the chart, and which card waits', () => {
    const context = incidentContext({ cards: { diagnosis: 'om_diag' } });
    const path = statePathsWhere((phase) => phase === 'awaitingDiagnosisApproval')[0]!;
    const view = workflowOf(path, context, snapshotAt(path, context));
    expect(view).toMatchObject({ phase: 'awaitingDiagnosisApproval', awaiting: 'diagnosis', awaitingCard: 'om_diag', opening: true });
    expect(view.label.en).toBe('Waiting for someone to confirm the diagnosis');
    expect(view.accepts).toEqual(['diagnosis.approved', 'diagnosis.rejected', 'incident.escalate', 'incident.ignore']);

    const escalated = statePathsWhere((phase) => phase === 'escalated')[0]!;
    expect(workflowOf(escalated, context, snapshotAt(escalated, context)).accepts).toEqual(['incident.ignore', 'incident.retry', 'incident.resolve']);
    expect(workflowOf('resolved', context)).toMatchObject({ phase: 'resolved', accepts: [], opening: false, awaiting: undefined });
    expect(workflowOf('recovered', context).watchingForRelapse).toBe(true);
  });

  it('reads a state this chart does not have, or the runtime’s crashed, without guessing', () => {
    expect(phaseOf('open.somethingRenamed')).toBe('unknown');
    expect(phaseOf('crashed')).toBe('crashed');
    expect(workflowOf('crashed', incidentContext())).toMatchObject({ phase: 'crashed', opening: false, accepts: [] });
  });

  it('says which card an event decides', () => {
    expect(cardDecidedBy('diagnosis.rejected')).toBe('diagnosis');
    expect(cardDecidedBy('proposal.approved')).toBe('proposal');
    expect(cardDecidedBy('incident.retry')).toBeUndefined();
    expect(cardDecidedBy('constructor')).toBeUndefined();
  });
});

describe('whether a click comes from the current card', () => {
  const context = incidentContext({ attempt: 2, cards: { proposal: 'om_fix_2' } });

  it('tells the current card from an older attempt’s, a replaced one and one never posted', () => {
    expect(cardStanding(context, { card: 'proposal', messageId: 'om_fix_2', attempt: 2 })).toBe('current');
    expect(cardStanding(context, { card: 'proposal', messageId: 'om_fix_2' })).toBe('current');
    expect(cardStanding(context, { card: 'proposal', messageId: 'om_fix_2', attempt: 1 })).toBe('olderAttempt');
    expect(cardStanding(context, { card: 'proposal', messageId: 'om_fix_1', attempt: 2 })).toBe('replaced');
    expect(cardStanding(context, { card: 'diagnosis', messageId: 'om_diag', attempt: 2 })).toBe('notPosted');
    expect(cardStanding(context, { card: undefined, messageId: 'om_outcome', attempt: 2 })).toBe('current');
    expect(cardStanding(context, { card: undefined, messageId: 'om_outcome', attempt: 1 })).toBe('olderAttempt');
  });

  it('agrees with the chart’s own guard', () => {
    const path = statePathsWhere((phase) => phase === 'awaitingProposalApproval')[0]!;
    const snapshot = snapshotAt(path, context);
    for (const messageId of ['om_fix_2', 'om_fix_1']) {
      const event: IncidentEvent = { type: 'proposal.rejected', by: { id: 'ops' }, source: { kind: 'card', messageId } };
      const current = cardStanding(context, { card: 'proposal', messageId }) === 'current';
      expect(snapshot.can(event), messageId).toBe(current);
    }
  });
});

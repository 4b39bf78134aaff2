import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { incidentMachine } from '../../machines/incident.machine';
import { descendants } from '../../src/viz/statechart-graph';
import { layoutStatechart } from '../../src/viz/statechart-layout';

const layout = layoutStatechart(incidentMachine);
const byId = new Map(layout.states.map((state) => [state.id, state]));
const pathOf = (node: AnyStateNode) => node.path.join('.');

describe('the statechart as the console draws it', () => {
  it('has a box for every state of the machine, named by the path incidents report', () => {
    const states = descendants(incidentMachine.root).map(pathOf);
    expect(layout.states.map((state) => state.id).sort()).toEqual([...states].sort());
    expect(byId.get('open.awaitingDiagnosisApproval')).toMatchObject({ parked: true, compound: false });
    expect(byId.get('resolved')).toMatchObject({ final: true });
  });

  it('draws every transition that has a target', () => {
    const expected = new Set<string>();
    for (const node of descendants(incidentMachine.root)) {
      for (const transition of [...node.transitions.values()].flat()) {
        for (const target of transition.target ?? []) expected.add(`${pathOf(node)}→${pathOf(target)}`);
      }
    }
    expect(new Set(layout.edges.map((edge) => `${edge.from}→${edge.to}`))).toEqual(expected);
    const approve = layout.edges.find((edge) => edge.from === 'open.awaitingDiagnosisApproval' && edge.to === 'open.proposing');
    expect(approve?.kind).toBe('person');
  });

  it('keeps states apart and compounds around their children', () => {
    const leaves = layout.states.filter((state) => !state.compound);
    for (const a of leaves) {
      for (const b of leaves) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
    for (const leaf of leaves) {
      for (const box of layout.states.filter((state) => state.compound)) {
        const inside = leaf.x >= box.x && leaf.y >= box.y && leaf.x + leaf.width <= box.x + box.width && leaf.y + leaf.height <= box.y + box.height;
        expect(inside, `${leaf.id} vs ${box.id}`).toBe(leaf.id.startsWith(`${box.id}.`));
      }
    }
  });

  it('reads the happy path downwards', () => {
    const order = ['open.triaging', 'open.diagnosing', 'open.awaitingDiagnosisApproval', 'open.awaitingProposalApproval', 'remediating.executing', 'remediating.verifying', 'resolving', 'resolved'];
    const ys = order.map((id) => byId.get(id)!.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(ys.length);
  });
});

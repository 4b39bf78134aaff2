import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import type { AnyStateNode } from 'xstate';
import { incidentMachine } from '../../machines/incident.machine';
import { renderVisualizations, VISUALIZATIONS_DIR } from '../../scripts/generate-visualizations';
import { toMermaid } from '../../src/viz/mermaid';
import { CODE_MARKER, toStatelyJson } from '../../src/viz/stately-json';

/** Walked here rather than taken from the generator, so a node it skips still fails the test. */
function stateNodesBelow(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...stateNodesBelow(child)]);
}
const allNodes = [incidentMachine.root, ...stateNodesBelow(incidentMachine.root)];
const mermaid = toMermaid(incidentMachine);

describe('committed visualizations', () => {
  it.each(renderVisualizations())('visualizations/$file is up to date (else run `npm run viz`)', ({ file, contents }) => {
    const path = join(VISUALIZATIONS_DIR, file);
    const committed = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    expect(committed).toBe(contents);
  });
});

describe('toMermaid', () => {
  it('draws every state of the machine', () => {
    for (const node of stateNodesBelow(incidentMachine.root)) {
      expect(mermaid).toContain(`state "${node.key}" as `);
    }
  });

  it('labels an edge with every event type in the `on` maps', () => {
    const eventTypes = allNodes.flatMap((node) => Object.keys(node.config.on ?? {}));
    expect(eventTypes).toContain('incident.retry');
    for (const eventType of eventTypes) expect(mermaid).toContain(eventType);
  });

  it('labels the done and error transitions of every invoke', () => {
    for (const node of allNodes) {
      for (const invoke of node.invoke) {
        // '#58;' is how the diagram writes ':', which Mermaid cannot take inside a label.
        if (invoke.onDone) expect(mermaid).toContain(`done#58; ${invoke.id}`);
        if (invoke.onError) expect(mermaid).toContain(`error#58; ${invoke.id}`);
      }
    }
  });

  it('names every guard and marks every parked state', () => {
    const transitions = allNodes.flatMap((node) => [...node.transitions.values()].flat());
    for (const { guard } of transitions) {
      if (typeof guard === 'string') expect(mermaid).toContain(`[${guard}]`);
      else if (guard && typeof guard === 'object') expect(mermaid).toContain(`[${guard.type}]`);
    }
    const parkedIds = allNodes.filter((node) => node.tags.includes('parked')).map((node) => node.path.join('_'));
    expect(parkedIds.length).toBeGreaterThan(0);
    expect(mermaid).toContain(`class ${parkedIds.join(', ')} parked`);
  });

  it('is deterministic', () => {
    expect(toMermaid(incidentMachine)).toBe(mermaid);
  });
});

describe('toStatelyJson', () => {
  it('is plain JSON of the machine config', () => {
    const json = toStatelyJson(incidentMachine);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json).toMatchObject({ id: 'incident', initial: 'open' });
    expect(Object.keys(json.states ?? {})).toEqual(Object.keys(incidentMachine.root.states));
  });

  it('replaces code with a marker', () => {
    const machine = createMachine({ id: 'inline', entry: () => undefined, states: {} });
    expect(toStatelyJson(machine)).toEqual({ id: 'inline', entry: CODE_MARKER, states: {} });
  });
});

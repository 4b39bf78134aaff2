import type { AnyStateNode } from 'xstate';
import { incidentMachine } from '../../machines/incident.machine';

/** Every state node of the incident chart below the root, depth first. */
export function chartStateNodes(node: AnyStateNode = incidentMachine.root): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...chartStateNodes(child)]);
}

/** The nodes an incident can be in (the runtime writes their dotted path as its state). */
export function chartLeafNodes(): AnyStateNode[] {
  return chartStateNodes().filter((node) => node.type === 'atomic' || node.type === 'final');
}

export const pathOf = (node: AnyStateNode): string => node.path.join('.');

/**
 * Every event type the chart can see or record: its transitions' events, the done and error events of
 * every invoked actor (handled or not), and `xstate.init`.
 */
export function chartEventTypes(): string[] {
  const types = new Set<string>(['xstate.init']);
  for (const node of [incidentMachine.root, ...chartStateNodes()]) {
    for (const type of node.transitions.keys()) types.add(type);
    for (const invoke of node.invoke) {
      types.add(`xstate.done.actor.${invoke.id}`);
      types.add(`xstate.error.actor.${invoke.id}`);
    }
  }
  return [...types].sort();
}

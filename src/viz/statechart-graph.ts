import type { AnyStateMachine, AnyStateNode } from 'xstate';

type Transition = NonNullable<AnyStateNode['always']>[number];

/** How a transition is drawn: people's decisions stand out, failures and timeouts recede. */
export type EdgeKind = 'person' | 'step' | 'error' | 'timer';

export interface GraphEdge {
  from: AnyStateNode;
  to: AnyStateNode;
  labels: string[];
  kind: EdgeKind;
}

export interface StatechartGraph {
  /** Every state but the root, in definition order. */
  states: AnyStateNode[];
  leaves: AnyStateNode[];
  /** One per source and target pair; their transitions' labels joined. */
  edges: GraphEdge[];
  /** Longest-path rank of each leaf from the initial state, back edges left out. */
  rank: Map<AnyStateNode, number>;
}

export function descendants(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...descendants(child)]);
}

export const isLeaf = (node: AnyStateNode): boolean => Object.keys(node.states).length === 0;

/** The leaf a transition into `node` ends in. */
function entryLeaf(node: AnyStateNode): AnyStateNode {
  const first = node.initial.target[0] ?? Object.values(node.states)[0];
  return isLeaf(node) || !first ? node : entryLeaf(first);
}

function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'guard';
}

/** xstate's internal names for invoke results and timers, made short. */
function eventLabel(eventType: string): { label: string; kind: EdgeKind } {
  const result = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (result?.[2]) {
    if (result[1] === 'error') return { label: `error: ${result[2]}`, kind: 'error' };
    return { label: `done: ${result[2]}`, kind: /Timer$/.test(result[2]) ? 'timer' : 'step' };
  }
  if (eventType.startsWith('xstate.after.')) return { label: 'after delay', kind: 'timer' };
  if (eventType === '' || eventType.startsWith('xstate.')) return { label: eventType || 'always', kind: 'step' };
  return { label: eventType, kind: 'person' };
}

function transitionsOf(node: AnyStateNode): Transition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

function collectEdges(states: AnyStateNode[]): GraphEdge[] {
  const byPair = new Map<string, GraphEdge>();
  for (const from of states) {
    for (const transition of transitionsOf(from)) {
      const { label, kind } = eventLabel(String(transition.eventType));
      const text = transition.guard === undefined ? label : `${label} [${guardName(transition.guard)}]`;
      for (const to of transition.target ?? []) {
        const key = `${from.id}→${to.id}`;
        const edge = byPair.get(key);
        if (!edge) byPair.set(key, { from, to, labels: [text], kind });
        else {
          edge.labels.push(text);
          // A pair that carries a person's decision or a normal step is drawn as such.
          if (kind === 'person' || (kind === 'step' && edge.kind !== 'person')) edge.kind = kind;
        }
      }
    }
  }
  return [...byPair.values()];
}

const KIND_ORDER: Record<EdgeKind, number> = { step: 0, person: 1, timer: 2, error: 3 };

/** Ranks leaves by the longest path from the initial leaf over forward edges, so the happy path reads downwards. */
function rankLeaves(root: AnyStateNode, leaves: AnyStateNode[], edges: GraphEdge[]): Map<AnyStateNode, number> {
  // A leaf's own steps first, failures last, then what it inherits from its compounds: the depth-first
  // walk below follows the happy path, so the edges it drops to break cycles are the retries.
  const next = new Map<AnyStateNode, AnyStateNode[]>();
  for (const leaf of leaves) {
    const own = edges.filter((edge) => edge.from === leaf);
    const inherited = edges.filter((edge) => edge.from !== leaf && !isLeaf(edge.from) && descendants(edge.from).includes(leaf));
    const byKind = (a: GraphEdge, b: GraphEdge) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
    next.set(leaf, [...own.sort(byKind), ...inherited.sort(byKind)].map((edge) => entryLeaf(edge.to)));
  }
  const forward = new Map<AnyStateNode, AnyStateNode[]>(leaves.map((leaf) => [leaf, []]));
  const state = new Map<AnyStateNode, 'open' | 'done'>();
  const visit = (leaf: AnyStateNode): void => {
    state.set(leaf, 'open');
    for (const target of next.get(leaf) ?? []) {
      if (state.get(target) === 'open') continue;
      forward.get(leaf)?.push(target);
      if (!state.has(target)) visit(target);
    }
    state.set(leaf, 'done');
  };
  visit(entryLeaf(root));
  for (const leaf of leaves) if (!state.has(leaf)) visit(leaf);

  const rank = new Map<AnyStateNode, number>(leaves.map((leaf) => [leaf, 0]));
  const order: AnyStateNode[] = [];
  const seen = new Set<AnyStateNode>();
  const post = (leaf: AnyStateNode): void => {
    seen.add(leaf);
    for (const target of forward.get(leaf) ?? []) if (!seen.has(target)) post(target);
    order.push(leaf);
  };
  for (const leaf of leaves) if (!seen.has(leaf)) post(leaf);
  for (const leaf of order.reverse()) {
    for (const target of forward.get(leaf) ?? []) rank.set(target, Math.max(rank.get(target) ?? 0, (rank.get(leaf) ?? 0) + 1));
  }
  return rank;
}

export function statechartGraph(machine: AnyStateMachine): StatechartGraph {
  const states = descendants(machine.root);
  const leaves = states.filter(isLeaf);
  const edges = collectEdges(states);
  return { states, leaves, edges, rank: rankLeaves(machine.root, leaves, edges) };
}

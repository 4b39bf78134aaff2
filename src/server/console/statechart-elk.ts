import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { PARKED_TAG } from '../../viz/mermaid';
import { isLeaf, statechartGraph } from '../../viz/statechart-graph';
import type { EdgeKind, StatechartGraph } from '../../viz/statechart-graph';

/** A box in the drawing, in pixels from its top left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ElkState extends Box {
  id: string;
  label: string;
  description: string | null;
  compound: boolean;
  final: boolean;
  parked: boolean;
}

export interface ElkEdge {
  from: string;
  to: string;
  labels: string[];
  kind: EdgeKind;
  /** SVG path data. */
  path: string;
  /** The lines its label box shows (every transition, no "+1"; none for failures and timeouts), and where ELK put the box. */
  lines: string[];
  label: Box | null;
}

export interface ElkStatechart {
  machineId: string;
  width: number;
  height: number;
  /** Compounds first, so leaves draw over them. */
  states: ElkState[];
  edges: ElkEdge[];
}

/** Widths are estimated from the characters: the server has no fonts. Generous, so text stays inside. */
const CHAR_W = { state: 8.2, label: 6.6 };
const LINE_H = 14;
const MAX_LINES = 4;
const STATE_H = 40;

const idOf = (node: AnyStateNode): string => node.path.join('.');

/** The lines an edge's label shows: one per transition, the last saying how many more there are. */
function labelLines(labels: string[]): string[] {
  if (labels.length <= MAX_LINES) return labels;
  return [...labels.slice(0, MAX_LINES - 1), `and ${labels.length - MAX_LINES + 1} more`];
}

/** Failures and timeouts recede: their labels are in the edge's tooltip, so the labels shown stay readable. */
function shownLines(edge: { labels: string[]; kind: EdgeKind }): string[] {
  return edge.kind === 'person' || edge.kind === 'step' ? labelLines(edge.labels) : [];
}

function elkNode(node: AnyStateNode): ElkNode {
  if (isLeaf(node)) return { id: idOf(node), width: Math.max(120, Math.ceil(node.key.length * CHAR_W.state) + 28), height: STATE_H };
  return {
    id: idOf(node),
    layoutOptions: { 'elk.padding': '[top=30,left=14,bottom=14,right=14]' },
    children: Object.values(node.states).map(elkNode),
  };
}

function pathOf(edge: ElkExtendedEdge): string {
  return (edge.sections ?? [])
    .map((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '))
    .join(' ');
}

/** ELK's layered layout, tuned for a chart read top to bottom. */
const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.inline': 'false',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.edgeEdge': '12',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // The narrowest of ELK's placements for this chart: it is read by scrolling down, not across.
  'elk.layered.nodePlacement.strategy': 'LINEAR_SEGMENTS',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

/** The edges as ELK takes them, each with one label box sized to its shown lines (none when it shows none). */
function elkEdges(graph: StatechartGraph): ElkExtendedEdge[] {
  return graph.edges.map((edge, index) => {
    const lines = shownLines(edge);
    const width = Math.ceil(Math.max(0, ...lines.map((line) => line.length)) * CHAR_W.label) + 8;
    const labels = lines.length ? [{ id: `l${index}`, text: lines.join('\n'), width, height: lines.length * LINE_H + 4 }] : [];
    return { id: `e${index}`, sources: [idOf(edge.from)], targets: [idOf(edge.to)], labels };
  });
}

/** Every state where ELK put it, compounds first. */
function laidStates(laidOut: ElkNode, graph: StatechartGraph): ElkState[] {
  const byId = new Map(graph.states.map((node) => [idOf(node), node]));
  const states: ElkState[] = [];
  const collect = (node: ElkNode) => {
    const state = byId.get(node.id);
    if (state) {
      states.push({
        id: node.id,
        label: state.key,
        description: state.description ?? null,
        x: node.x ?? 0,
        y: node.y ?? 0,
        width: node.width ?? 0,
        height: node.height ?? 0,
        compound: !isLeaf(state),
        final: state.type === 'final',
        parked: state.tags.includes(PARKED_TAG),
      });
    }
    for (const child of node.children ?? []) collect(child);
  };
  collect(laidOut);
  return states.sort((a, b) => Number(b.compound) - Number(a.compound));
}

/** Every edge with the route and label box ELK gave it. */
function laidEdges(laidOut: ElkNode, graph: StatechartGraph): ElkEdge[] {
  const byId = new Map((laidOut.edges ?? []).map((edge) => [edge.id, edge]));
  return graph.edges.map((edge, index) => {
    const laid = byId.get(`e${index}`);
    const label = laid?.labels?.[0];
    return {
      from: idOf(edge.from),
      to: idOf(edge.to),
      labels: edge.labels,
      kind: edge.kind,
      path: laid ? pathOf(laid) : '',
      lines: label ? shownLines(edge) : [],
      label: label ? { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } : null,
    };
  });
}

/**
 * The statechart laid out by ELK (the layered algorithm Stately's editor uses): states never overlap,
 * edges are routed orthogonally around them, and their labels are placed by ELK as boxes of their own,
 * so no two labels cross. All coordinates are the drawing's own (ROOT).
 */
export async function elkStatechart(machine: AnyStateMachine, tuning: Record<string, string> = {}): Promise<ElkStatechart> {
  const graph = statechartGraph(machine);
  const input: ElkNode = {
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS, ...tuning },
    children: Object.values(machine.root.states).map(elkNode),
    edges: elkEdges(graph),
  };
  const laidOut: ElkNode = await new ELK().layout(input);
  return {
    machineId: machine.id,
    width: Math.ceil(laidOut.width ?? 0),
    height: Math.ceil(laidOut.height ?? 0),
    states: laidStates(laidOut, graph),
    edges: laidEdges(laidOut, graph),
  };
}

import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { PARKED_TAG } from '../../viz/mermaid';
import { isLeaf, statechartGraph } from '../../viz/statechart-graph';
import type { EdgeKind, GraphEdge, StatechartGraph } from '../../viz/statechart-graph';
import { consoleText } from './console-text';
import { eventWords, extent, stateWords, textWidth, wrapWords } from './statechart-words';
import type { Font, Lines, Words } from './statechart-words';
import { mapLocalized } from '../../i18n';
import type { Localized } from '../../i18n';

/** A box in the drawing, in pixels from its top left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ElkState extends Box {
  /** The state path: for the tooltip and for finding the incident's state, never shown as the state's text. */
  id: string;
  /** Its phase (a compound: its group) in words, and the lines the box shows in each language. */
  words: Words;
  lines: Lines;
  description: string | null;
  compound: boolean;
  final: boolean;
  parked: boolean;
}

/** One transition of an edge: its event in words, and the event type and guard as the chart has them (the tooltip's raw). */
export interface ElkTransition {
  words: Words;
  event: string;
  guard: string | null;
}

export interface ElkEdge {
  from: string;
  to: string;
  transitions: ElkTransition[];
  kind: EdgeKind;
  /** SVG path data. */
  path: string;
  /**
   * What its label box shows in each language: one entry per transition (the same words once; the last saying how
   * many more there are), each in its lines; none for failures and timeouts. And where ELK put the box.
   */
  lines: Localized<string[][]>;
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

/** Widths are estimated per character and script (statechart-words): the server has no fonts. Generous, so text stays inside. */
const STATE_FONT: Font = { latin: 8.2, wide: 13.2 };
const LABEL_FONT: Font = { latin: 6.6, wide: 11.6 };
/** Text wider than this wraps (a compound's title never does). */
const STATE_TEXT_W = 200;
const LABEL_TEXT_W = 180;
const STATE_LINE_H = 15;
const LINE_H = 14;
/** A transition's second line starts this far in, so it does not read as another transition. */
export const LABEL_INDENT = 8;
const MAX_LINES = 4;
const STATE_H = 40;
const COMPOUND_TOP = 30;

const idOf = (node: AnyStateNode): string => node.path.join('.');
const NO_LINES: Localized<string[][]> = { 'zh-CN': [], en: [] };

/** The transitions an edge stands for, in the chart's order, with their event types and guards. */
function transitionsOf(edge: GraphEdge): ElkTransition[] {
  const all = [...[...edge.from.transitions.values()].flat(), ...(edge.from.always ?? [])];
  return all
    .filter((transition) => (transition.target ?? []).includes(edge.to))
    .map((transition) => {
      const guard: unknown = transition.guard;
      const guardName = typeof guard === 'string' ? guard : typeof guard === 'object' && guard !== null && 'type' in guard ? String(guard.type) : null;
      const event = String(transition.eventType);
      return { words: eventWords(event), event, guard: guard === undefined ? null : (guardName ?? 'guard') };
    });
}

/** The words an edge's label shows, one per transition (the same words once), the last saying how many more there are. */
function shownWords(edge: GraphEdge, transitions: ElkTransition[]): Words[] {
  // Failures and timeouts recede: their words are in the edge's tooltip, so the labels shown stay readable.
  if (edge.kind !== 'person' && edge.kind !== 'step') return [];
  const seen = new Set<string>();
  const words = transitions.map((transition) => transition.words).filter((text) => !seen.has(text.en) && Boolean(seen.add(text.en)));
  if (words.length <= MAX_LINES) return words;
  return [...words.slice(0, MAX_LINES - 1), consoleText('console.statechart.more', { n: words.length - MAX_LINES + 1 })];
}

/** Each shown transition in its lines, per language. */
function labelLines(words: Words[]): Localized<string[][]> {
  if (words.length === 0) return NO_LINES;
  const each = words.map((text) => wrapWords(text, LABEL_TEXT_W, LABEL_FONT));
  return { 'zh-CN': each.map((lines) => lines['zh-CN']), en: each.map((lines) => lines.en) };
}

/** A label box's size: its widest line (a second line indented) and its most lines, in whichever language needs more. */
function labelSize(lines: Localized<string[][]>): { width: number; height: number } {
  const all = [lines.en, lines['zh-CN']];
  const widths = all.flatMap((each) => each.flatMap((parts) => parts.map((line, index) => textWidth(line, LABEL_FONT) + (index === 0 ? 0 : LABEL_INDENT))));
  const count = Math.max(...all.map((each) => each.flat().length));
  return { width: Math.ceil(Math.max(0, ...widths)) + 8, height: count * LINE_H + 4 };
}

function elkNode(node: AnyStateNode): ElkNode {
  const words = stateWords(idOf(node), !isLeaf(node));
  if (isLeaf(node)) {
    const size = extent(wrapWords(words, STATE_TEXT_W, STATE_FONT), STATE_FONT);
    return { id: idOf(node), width: Math.max(120, Math.ceil(size.width) + 28), height: Math.max(STATE_H, size.lines * STATE_LINE_H + 16) };
  }
  const title = extent(mapLocalized(words, (text) => [text]), STATE_FONT);
  return {
    id: idOf(node),
    layoutOptions: {
      'elk.padding': `[top=${COMPOUND_TOP},left=14,bottom=14,right=14]`,
      // Wide enough for its title in either language. Layered DOWN reads a compound's minimum as (height, width)
      // (eclipse-elk/elk#1033, leaves are not swapped); a unit test fails should that change.
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${COMPOUND_TOP + STATE_H}, ${Math.ceil(title.width) + 28})`,
    },
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

/** The edges as ELK takes them, each with one label box sized to its shown lines in the wider language (none when it shows none). */
function elkEdges(graph: StatechartGraph): ElkExtendedEdge[] {
  return graph.edges.map((edge, index) => {
    const lines = labelLines(shownWords(edge, transitionsOf(edge)));
    const labels = lines.en.length ? [{ id: `l${index}`, text: lines.en.flat().join('\n'), ...labelSize(lines) }] : [];
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
      const words = stateWords(node.id, !isLeaf(state));
      states.push({
        id: node.id,
        words,
        lines: isLeaf(state) ? wrapWords(words, STATE_TEXT_W, STATE_FONT) : mapLocalized(words, (text) => [text]),
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
    const transitions = transitionsOf(edge);
    return {
      from: idOf(edge.from),
      to: idOf(edge.to),
      transitions,
      kind: edge.kind,
      path: laid ? pathOf(laid) : '',
      lines: label ? labelLines(shownWords(edge, transitions)) : NO_LINES,
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

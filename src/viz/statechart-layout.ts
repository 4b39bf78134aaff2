import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { isLeaf, statechartGraph } from './statechart-graph';
import type { EdgeKind, GraphEdge, StatechartGraph } from './statechart-graph';
import { PARKED_TAG } from './mermaid';

/** A state's box, in pixels; `id` is its dotted path, as incidents report their state. */
export interface LayoutState {
  id: string;
  label: string;
  description: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  compound: boolean;
  final: boolean;
  parked: boolean;
}

export interface LayoutEdge {
  from: string;
  to: string;
  labels: string[];
  kind: EdgeKind;
  /** SVG path data. */
  path: string;
  labelX: number;
  labelY: number;
  /** Routed around other states; its label would crowd the channel, so it is left to the tooltip. */
  detour: boolean;
}

export interface StatechartLayout {
  machineId: string;
  width: number;
  height: number;
  /** Compounds first, so leaves draw over them. */
  states: LayoutState[];
  edges: LayoutEdge[];
}

const LANE = 230;
const NODE_W = 184;
const NODE_H = 40;
const ROW = 76;
const MARGIN = 28;
const PAD = 10;
const HEADER = 22;
const CHANNEL_GAP = 14;
const CHANNEL_STEP = 7;

interface Block {
  lanes: number;
  top: number;
  bottom: number;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const idOf = (node: AnyStateNode): string => node.path.join('.');

/**
 * Lays the chart out top to bottom: leaves in rows by rank, compounds as boxes around their children.
 * Siblings are packed into lanes so that no two blocks overlap, whatever the chart, and edges that
 * would cross other states detour through a channel on their right.
 */
export function layoutStatechart(machine: AnyStateMachine): StatechartLayout {
  const graph = statechartGraph(machine);
  const rects = stateRects(graph, packLanes(machine, graph));
  const leafRects = graph.leaves.map((leaf) => rects.get(leaf)!);
  const edges = routeEdges(graph.edges, rects, leafRects);
  const right = Math.max(...[...rects.values()].map((r) => r.x + r.width), ...edges.map((e) => e.labelX + 160));
  const bottom = Math.max(...[...rects.values()].map((r) => r.y + r.height));
  const states = [...graph.states.filter((s) => !isLeaf(s)), ...graph.leaves].map((node): LayoutState => {
    const r = rects.get(node)!;
    return {
      id: idOf(node),
      label: node.key,
      description: node.description ?? null,
      ...r,
      compound: !isLeaf(node),
      final: node.type === 'final',
      parked: node.tags.includes(PARKED_TAG),
    };
  });
  return { machineId: machine.id, width: Math.ceil(right + MARGIN), height: Math.ceil(bottom + MARGIN), states, edges };
}

/** Each state's block of rows and lanes, and the lane it starts in. */
interface Packing {
  lane: Map<AnyStateNode, number>;
  block: Map<AnyStateNode, Block>;
}

interface PlacedBlock {
  at: number;
  node: AnyStateNode;
  block: Block;
}

/** The leftmost lane where a block overlaps none of the blocks placed beside it. */
function firstFreeLane(placed: PlacedBlock[], inner: Block): number {
  let at = 0;
  while (placed.some((p) => at < p.at + p.block.lanes && p.at < at + inner.lanes && inner.top <= p.block.bottom && p.block.top <= inner.bottom)) at++;
  return at;
}

function packLanes(machine: AnyStateMachine, graph: StatechartGraph): Packing {
  const packing: Packing = { lane: new Map(), block: new Map() };
  const remember = (node: AnyStateNode, measured: Block): Block => {
    packing.block.set(node, measured);
    packing.lane.set(node, 0);
    return measured;
  };
  const shift = (node: AnyStateNode, by: number): void => {
    packing.lane.set(node, (packing.lane.get(node) ?? 0) + by);
    for (const child of Object.values(node.states)) shift(child, by);
  };
  const measure = (node: AnyStateNode): Block => {
    if (isLeaf(node)) {
      const rank = graph.rank.get(node) ?? 0;
      return remember(node, { lanes: 1, top: rank, bottom: rank });
    }
    const placed: PlacedBlock[] = [];
    for (const child of Object.values(node.states)) {
      const inner = measure(child);
      placed.push({ at: firstFreeLane(placed, inner), node: child, block: inner });
    }
    for (const { at, node: child } of placed) shift(child, at);
    return remember(node, {
      lanes: Math.max(1, ...placed.map((p) => p.at + p.block.lanes)),
      top: Math.min(...placed.map((p) => p.block.top)),
      bottom: Math.max(...placed.map((p) => p.block.bottom)),
    });
  };
  for (const top of Object.values(machine.root.states)) measure(top);
  const topBlocks: PlacedBlock[] = [];
  // The root is not drawn as a box; its children are packed the same way.
  for (const top of Object.values(machine.root.states)) {
    const inner = packing.block.get(top)!;
    const at = firstFreeLane(topBlocks, inner);
    topBlocks.push({ at, node: top, block: inner });
    shift(top, at);
  }
  return packing;
}

/** Pixels from lanes and rows: a leaf is a fixed box, a compound pads around its children's. */
function stateRects(graph: StatechartGraph, { lane, block }: Packing): Map<AnyStateNode, Rect> {
  const rects = new Map<AnyStateNode, Rect>();
  for (const node of graph.states) {
    const b = block.get(node)!;
    const depth = nestingBelow(node);
    const x = MARGIN + (lane.get(node) ?? 0) * LANE + (LANE - NODE_W) / 2;
    const y = MARGIN + HEADER + b.top * ROW;
    if (isLeaf(node)) rects.set(node, { x, y, width: NODE_W, height: NODE_H });
    else {
      const pad = PAD * depth;
      const header = HEADER * depth;
      rects.set(node, { x: x - pad, y: y - header, width: (b.lanes - 1) * LANE + NODE_W + 2 * pad, height: (b.bottom - b.top) * ROW + NODE_H + header + pad });
    }
  }
  return rects;
}

function nestingBelow(node: AnyStateNode): number {
  const children = Object.values(node.states).filter((child) => !isLeaf(child));
  return children.length === 0 ? 1 : 1 + Math.max(...children.map(nestingBelow));
}

const overlaps = (r: Rect, x0: number, x1: number, y0: number, y1: number): boolean => r.x < x1 && x0 < r.x + r.width && r.y < y1 && y0 < r.y + r.height;

function routeEdges(edges: GraphEdge[], rects: Map<AnyStateNode, Rect>, obstacles: Rect[]): LayoutEdge[] {
  const channels = new Map<number, number>();
  return edges.map((edge): LayoutEdge => {
    const s = rects.get(edge.from)!;
    const t = rects.get(edge.to)!;
    const common = { from: idOf(edge.from), to: idOf(edge.to), labels: edge.labels, kind: edge.kind };
    const [sx, sy, tx, ty] = [s.x + s.width / 2, s.y + s.height, t.x + t.width / 2, t.y];
    const between = obstacles.filter((o) => o !== s && o !== t && overlaps(o, Math.min(sx, tx) - 1, Math.max(sx, tx) + 1, sy, ty));
    if (ty > sy && between.length === 0) {
      const bend = Math.min(40, (ty - sy) / 2);
      return { ...common, path: `M${sx},${sy} C${sx},${sy + bend} ${tx},${ty - bend} ${tx},${ty}`, labelX: (sx + tx) / 2 + 6, labelY: (sy + ty) / 2, detour: false };
    }
    // Detour: out of the source's right side, down (or up) a channel clear of every state in the way.
    const [y0, y1] = [s.y + s.height / 2, t.y + t.height / 2];
    const [lo, hi] = [Math.min(y0, y1), Math.max(y0, y1)];
    let channel = Math.max(s.x + s.width, t.x + t.width) + CHANNEL_GAP;
    for (let moved = true; moved; ) {
      const blocking = obstacles.filter((o) => o !== s && o !== t && overlaps(o, s.x + s.width, channel + 1, lo, hi));
      const clear = Math.max(channel, ...blocking.map((o) => o.x + o.width + CHANNEL_GAP));
      moved = clear > channel;
      channel = clear;
    }
    const base = Math.round(channel);
    const used = channels.get(base) ?? 0;
    channels.set(base, used + 1);
    channel += used * CHANNEL_STEP;
    const [x0, x1] = [s.x + s.width, t.x + t.width];
    const c0 = x0 + ((channel - x0) * 4) / 3;
    const c1 = x1 + ((channel - x1) * 4) / 3;
    return { ...common, path: `M${x0},${y0} C${c0},${y0} ${c1},${y1} ${x1},${y1}`, labelX: channel + 4, labelY: (y0 + y1) / 2, detour: true };
  });
}

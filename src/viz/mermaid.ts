import type { AnyStateMachine, AnyStateNode } from 'xstate';

type Transition = NonNullable<AnyStateNode['always']>[number];

/** States with this tag wait for a person; they are highlighted so the waits stand out. */
export const PARKED_TAG = 'parked';
const PARKED_STYLE = 'fill:#fff3cd,stroke:#b58900,color:#000';
const INDENT = '  ';

/**
 * Draws the statechart as a Mermaid `stateDiagram-v2`, in definition order so the output is stable.
 * The machine itself is not a composite box: Mermaid lays out nested boxes with edges leaving them
 * badly, so its id and machine-wide events go in the title and its description in `accDescr`.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const { root } = machine;
  const ids = assignMermaidIds(root);
  const edges = groupEdgesByContainer(root, ids);
  const parked = [...ids].filter(([node]) => node.tags.includes(PARKED_TAG)).map(([, id]) => id);
  const header = ['---', `title: ${JSON.stringify(machineTitle(machine))}`, '---', 'stateDiagram-v2'];
  const body = [
    ...(root.description ? [`accDescr: ${root.description.replace(/\s+/g, ' ')}`] : []),
    `classDef ${PARKED_TAG} ${PARKED_STYLE}`,
    ...drawChildren(root, ids, edges),
  ];
  if (parked.length > 0) body.push(`class ${parked.join(', ')} ${PARKED_TAG}`);
  return `${[...header, ...body.map(indent)].join('\n')}\n`;
}

function machineTitle(machine: AnyStateMachine): string {
  const everywhere = transitionsOf(machine.root).map((transition) => {
    const targets = (transition.target ?? []).map((target) => target.key);
    return targets.length === 0 ? transitionLabel(transition) : `${transitionLabel(transition)} -> ${targets.join(', ')}`;
  });
  return everywhere.length === 0 ? machine.id : `${machine.id} (in every state: ${everywhere.join('; ')})`;
}

/** Mermaid ids are global and word-only, so nested states get their path joined with '_'. */
function assignMermaidIds(root: AnyStateNode): Map<AnyStateNode, string> {
  const ids = new Map<AnyStateNode, string>();
  const taken = new Set<string>();
  for (const node of descendantsAndSelf(root).slice(1)) {
    const id = node.path.join('_').replace(/\W/g, '_');
    if (taken.has(id)) throw new Error(`Two states map to the Mermaid id "${id}"`);
    taken.add(id);
    ids.set(node, id);
  }
  return ids;
}

function descendantsAndSelf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(descendantsAndSelf)];
}

/** A compound's initial arrow, its children (regions split by `--` if parallel), then edges it encloses. */
function drawChildren(node: AnyStateNode, ids: Map<AnyStateNode, string>, edges: EdgesByContainer): string[] {
  const lines = node.initial.target.map((target) => `[*] --> ${idOf(target, ids)}`);
  Object.values(node.states).forEach((child, index) => {
    if (node.type === 'parallel' && index > 0) lines.push('--');
    lines.push(...drawState(child, ids, edges));
  });
  return [...lines, ...(edges.get(node) ?? [])];
}

function drawState(node: AnyStateNode, ids: Map<AnyStateNode, string>, edges: EdgesByContainer): string[] {
  const id = idOf(node, ids);
  const lines = [`state "${escapeText(node.key)}" as ${id}`];
  if (Object.keys(node.states).length === 0) {
    if (node.description) lines.push(`${id} : ${escapeText(node.description)}`);
    if (node.type === 'final') lines.push(`${id} --> [*]`);
    return lines;
  }
  lines.push(`state ${id} {`, ...drawChildren(node, ids, edges).map(indent), '}');
  // Mermaid allows a composite only a label, so its description and in-place events go in a note.
  const inPlace = targetlessTransitions(node).map((transition) => `in place: ${transitionLabel(transition)}`);
  const note = [node.description ?? '', ...inPlace].filter((line) => line !== '').map(escapeText);
  if (note.length > 0) lines.push(`note right of ${id}`, ...note.map(indent), 'end note');
  return lines;
}

/** Keyed by the compound whose block holds the edge; the root's block is the diagram's top level. */
type EdgesByContainer = Map<AnyStateNode, string[]>;

/** An edge goes in the innermost block enclosing both ends, where Mermaid can see both. */
function groupEdgesByContainer(root: AnyStateNode, ids: Map<AnyStateNode, string>): EdgesByContainer {
  const edges: EdgesByContainer = new Map();
  // The root's own transitions are in the title: there is no root box to draw them from.
  for (const source of descendantsAndSelf(root).slice(1)) {
    const isAtomic = Object.keys(source.states).length === 0;
    for (const transition of transitionsOf(source)) {
      // A targetless transition on an atomic state is drawn as a self-loop; composites list it in their note.
      const targets = transition.target ?? (isAtomic ? [source] : []);
      for (const target of targets) {
        const container = commonContainer(source, target) ?? root;
        const line = `${idOf(source, ids)} --> ${idOf(target, ids)} : ${escapeText(transitionLabel(transition))}`;
        edges.set(container, [...(edges.get(container) ?? []), line]);
      }
    }
  }
  return edges;
}

function transitionsOf(node: AnyStateNode): Transition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

function targetlessTransitions(node: AnyStateNode): Transition[] {
  return transitionsOf(node).filter((transition) => transition.target === undefined);
}

function commonContainer(source: AnyStateNode, target: AnyStateNode): AnyStateNode | undefined {
  const sourceAncestors = new Set(properAncestors(source));
  return properAncestors(target).find((ancestor) => sourceAncestors.has(ancestor));
}

/** Innermost first. */
function properAncestors(node: AnyStateNode): AnyStateNode[] {
  return node.parent ? [node.parent, ...properAncestors(node.parent)] : [];
}

function transitionLabel(transition: Transition): string {
  const guard = transition.guard === undefined ? '' : ` [${guardName(transition.guard)}]`;
  // `eventType` is typed `any` on an any-typed machine; it is always a string.
  return `${eventLabel(String(transition.eventType))}${guard}`;
}

/** Turns xstate's internal event names for invoke results, timers and done states into short readable ones. */
function eventLabel(eventType: string): string {
  const actorResult = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (actorResult) return `${actorResult[1]}: ${actorResult[2]}`;
  const delayed = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (delayed?.[1]) return `after ${delayed[1]}${/^\d+$/.test(delayed[1]) ? 'ms' : ''}`;
  if (eventType.startsWith('xstate.done.state.')) return 'done';
  if (eventType.startsWith('xstate.snapshot.')) return `snapshot: ${eventType.slice('xstate.snapshot.'.length)}`;
  return eventType === '' ? 'always' : eventType;
}

/** Guards are drawn by name; params are left out to keep labels short. */
function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'inline guard';
  if (typeof guard === 'object' && guard !== null && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'guard';
}

/**
 * Mermaid ends a label at ':' or ';', reads '#' as a comment and '"' as a string end, and strips
 * HTML, so those become entity codes, which it renders as the original character.
 */
function escapeText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[#:;"<>]/g, (char) => `#${char.charCodeAt(0)};`);
}

function idOf(node: AnyStateNode, ids: Map<AnyStateNode, string>): string {
  const id = ids.get(node);
  if (id === undefined) throw new Error(`State "${node.id}" is not part of this machine`);
  return id;
}

function indent(line: string): string {
  return `${INDENT}${line}`;
}

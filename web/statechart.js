// @ts-check
import { t } from './i18n.js';
import { language, words } from './labels.js';

/** @typedef {import('./types.js').Statechart} Statechart @typedef {import('./types.js').LayoutEdge} LayoutEdge @typedef {import('./types.js').LayoutState} LayoutState */

/** Line heights of a state's and a label's text, and how far a label's second line starts in (the server sizes boxes so). */
const STATE_LINE = 15;
const LABEL_LINE = 14;
const LABEL_INDENT = 8;
/** A note's font size and height (web/style.css), and the gap between it and its state's box. */
const NOTE_FONT = 11;
const NOTE_HEIGHT = 17;
const NOTE_GAP = 2;

const SVG = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 * @param {string} [text]
 */
function svg(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * The statechart, laid out on the server from the machine definition, drawn with DOM calls (no
 * markup parsing). The current state is highlighted, the states it passed through are marked. States and
 * transitions read in words, in the chosen language (the server sized every box for either); their state
 * paths and event types are only in the tooltips.
 * @param {Statechart['layout']} layout
 * @param {{ current: string, phase: string, visited: string[], steps: [string, string][], note?: string | null }} incident where it is (`phase` in words);
 *   `note`, in words, is drawn at the current state (the fix's step running now)
 */
export function drawStatechart(layout, incident) {
  const root = svg('svg', { viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, class: 'statechart', role: 'img', 'data-width': layout.width });
  root.appendChild(svg('title', {}, t('console.statechart.label', { phase: incident.phase })));
  const defs = root.appendChild(svg('defs', {}));
  const marker = defs.appendChild(svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }));
  marker.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }));
  const visited = new Set(incident.visited);
  const named = new Map(layout.states.map((state) => [state.id, words(state.words)]));
  /** Whether state `path` is `id` or inside it. @param {string} path @param {string} id */
  const within = (path, id) => path === id || path.startsWith(`${id}.`);
  for (const state of layout.states) {
    const classes = ['state', state.compound ? 'compound' : 'leaf', state.parked ? 'parked' : '', state.final ? 'final' : '', visited.has(state.id) ? 'visited' : '', within(incident.current, state.id) ? 'current' : ''];
    const group = root.appendChild(svg('g', { class: classes.filter(Boolean).join(' '), 'data-state': state.id }));
    group.appendChild(svg('title', {}, `${words(state.words)}\n${state.description ? `${state.id}: ${state.description}` : state.id}`));
    group.appendChild(svg('rect', { x: state.x, y: state.y, width: state.width, height: state.height, rx: state.compound ? 10 : 8 }));
    const lines = state.lines[language()] ?? state.lines.en;
    const textY = state.compound ? state.y + 18 : state.y + state.height / 2 + 4 - ((lines.length - 1) * STATE_LINE) / 2;
    const textX = state.compound ? state.x + 12 : state.x + state.width / 2;
    const text = group.appendChild(svg('text', { x: textX, y: textY, 'text-anchor': state.compound ? 'start' : 'middle' }));
    lines.forEach((line, index) => text.appendChild(svg('tspan', { x: textX, dy: index === 0 ? 0 : STATE_LINE }, line)));
  }
  /** An edge's tooltip: where it goes and each transition in words, with its event type (and guard) as recorded. @param {LayoutEdge} edge */
  const tooltip = (edge) =>
    [`${named.get(edge.from) ?? edge.from} → ${named.get(edge.to) ?? edge.to}`, ...edge.transitions.map((step) => `${words(step.words)} (${step.event}${step.guard ? ` [${step.guard}]` : ''})`)].join('\n');
  for (const edge of layout.edges) {
    const taken = incident.steps.some(([from, to]) => within(from, edge.from) && within(to, edge.to));
    const group = root.appendChild(svg('g', { class: `edge ${edge.kind}${taken ? ' taken' : ''}` }));
    group.appendChild(svg('title', {}, tooltip(edge)));
    group.appendChild(svg('path', { d: edge.path, 'marker-end': 'url(#arrow)' }));
  }
  // Labels last, over every edge: ELK placed each in a box of its own, so none crosses another.
  for (const edge of layout.edges) {
    const shown = edge.lines[language()] ?? edge.lines.en;
    if (!edge.label || shown.length === 0) continue;
    const box = edge.label;
    const group = root.appendChild(svg('g', { class: `edge-label-box ${edge.kind}` }));
    group.appendChild(svg('title', {}, tooltip(edge)));
    group.appendChild(svg('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 3 }));
    const text = group.appendChild(svg('text', { x: box.x + 4, y: box.y + 13, class: 'edge-label' }));
    // One transition per entry; a second line of one starts further in, so it does not read as another.
    shown
      .flatMap((parts) => parts.map((line, index) => ({ line, indent: index === 0 ? 0 : LABEL_INDENT })))
      .forEach(({ line, indent }, index) => text.appendChild(svg('tspan', { x: box.x + 4 + indent, dy: index === 0 ? 0 : LABEL_LINE }, line)));
  }
  // The note last, over everything: it is about the state the eye is looking for.
  const noted = incident.note ? layout.states.find((state) => state.id === incident.current) : undefined;
  if (noted && incident.note) root.appendChild(stateNote(layout, noted, incident.note));
  return root;
}

/**
 * A short note just under a state's box (above it at the chart's foot), centred on it and kept inside the chart.
 * Its width is estimated before the chart is in the page: a CJK character is about as wide as the font is high, others about 0.6 of it.
 * @param {Statechart['layout']} layout @param {LayoutState} state @param {string} note
 */
function stateNote(layout, state, note) {
  const width = Math.ceil([...note].reduce((sum, char) => sum + NOTE_FONT * (/[\u2e80-\uffff]/.test(char) ? 1 : 0.6), 0)) + 14;
  const x = Math.min(Math.max(0, state.x + state.width / 2 - width / 2), Math.max(0, layout.width - width));
  const below = state.y + state.height + NOTE_GAP;
  const y = below + NOTE_HEIGHT <= layout.height ? below : state.y - NOTE_GAP - NOTE_HEIGHT;
  const group = svg('g', { class: 'state-note', id: 'state-note', 'data-state': state.id });
  group.appendChild(svg('rect', { x, y, width, height: NOTE_HEIGHT, rx: NOTE_HEIGHT / 2 }));
  group.appendChild(svg('text', { x: x + width / 2, y: y + NOTE_HEIGHT / 2 + 4, 'text-anchor': 'middle' }, note));
  return group;
}

/** What the colours mean. */
export function statechartLegend() {
  const item = (/** @type {string} */ kind, /** @type {string} */ text) => {
    const swatch = document.createElement('span');
    swatch.className = `swatch ${kind}`;
    const entry = document.createElement('span');
    entry.className = 'legend-item';
    entry.append(swatch, text);
    return entry;
  };
  const legend = document.createElement('div');
  legend.className = 'statechart-legend';
  legend.id = 'statechart-legend';
  const kinds = [
    ['current', 'console.legend.current'],
    ['visited', 'console.legend.visited'],
    ['parked', 'console.legend.parked'],
    ['taken', 'console.legend.taken'],
    ['person', 'console.legend.person'],
  ];
  legend.append(...kinds.map(([kind = '', key = '']) => item(kind, t(key))));
  return legend;
}

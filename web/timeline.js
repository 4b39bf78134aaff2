// @ts-check
import { clock, h } from './dom.js';
import { fullTime, t } from './i18n.js';
import { words } from './labels.js';
import { person } from './people.js';

/** @typedef {import('./types.js').TimelineEntry} TimelineEntry @typedef {import('./dom.js').Child} Child */

/** Fixed widths (see style.css): opening one row's raw data never moves the columns or the other rows. */
const COLUMNS = [
  ['when', 'console.timeline.when'],
  ['who', 'console.timeline.who'],
  ['what', 'console.timeline.what'],
  ['phase', 'console.timeline.phase'],
  ['raw', ''],
];

/** @param {unknown} value */
const json = (value) => h('pre', { class: 'json' }, typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** Where a transition took the incident, in the phases' words. @param {TimelineEntry} entry @returns {Child[]} */
function phaseChange({ from, to }) {
  if (!to) return [];
  if (!from) return [words(to)];
  if (words(from) === words(to)) return [h('span', { class: 'hint', title: words(to) }, t('console.timeline.unchanged'))];
  return [words(from), ' → ', words(to)];
}

/** What the store recorded, as it recorded it: event type, state paths, payload. @param {TimelineEntry} entry @param {string} id */
function rawRow(entry, id) {
  const head =
    entry.kind === 'transition'
      ? [h('code', {}, entry.raw.eventType), ' ', h('code', {}, `${entry.raw.fromState ?? '∅'} → ${entry.raw.toState}`)]
      : [h('code', {}, t('console.timeline.rawAttempt', { activity: entry.raw.activity, step: entry.raw.step, attempt: entry.raw.attempt }))];
  return h('tr', { class: 'timeline-raw', id, hidden: '' }, h('td', { colspan: String(COLUMNS.length) }, h('div', { class: 'raw-head' }, ...head), json(entry.raw.detail)));
}

/** One entry: its row in plain words, and the raw row under it that a click shows. @param {TimelineEntry} entry @param {number} index */
function entryRows(entry, index) {
  const raw = rawRow(entry, `timeline-raw-${index}`);
  const toggle = h('button', { type: 'button', class: 'raw-toggle', 'aria-expanded': 'false', 'aria-controls': raw.id, title: t('console.timeline.rawTitle') }, t('console.timeline.raw'));
  toggle.addEventListener('click', () => {
    raw.hidden = !raw.hidden;
    toggle.setAttribute('aria-expanded', String(!raw.hidden));
  });
  const row = h(
    'tr',
    { class: `timeline-entry timeline-${entry.kind}` },
    h('td', { title: fullTime(entry.at) }, clock(entry.at)),
    h('td', { class: 'actor' }, person(entry.actor)),
    h('td', { class: 'what' }, words(entry.what)),
    h('td', { class: 'phase' }, ...phaseChange(entry)),
    h('td', { class: 'raw' }, toggle),
  );
  return [row, raw];
}

/** The audit timeline and the agent's activity, oldest first. @param {TimelineEntry[]} entries */
export function timelineTable(entries) {
  const columns = h('colgroup', {}, ...COLUMNS.map(([name]) => h('col', { class: `col-${name ?? ''}` })));
  const head = h('tr', {}, ...COLUMNS.map(([, key]) => h('th', {}, key ? t(key) : '')));
  const table = h('table', { class: 'timeline', id: 'timeline' }, columns, h('thead', {}, head), h('tbody', {}, ...entries.flatMap(entryRows)));
  return h('div', { class: 'table-scroll' }, table);
}

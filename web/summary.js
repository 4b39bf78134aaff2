// @ts-check
import { h } from './dom.js';
import { t } from './i18n.js';
import { language } from './labels.js';
import { renderMarkdown } from './markdown.js';

/**
 * @typedef {{ source: 'model' | 'template', text: { en: string, 'zh-CN': string }, ttaMs: number | null, ttrMs: number | null, outcome: string, at: string }} IncidentSummary
 * @typedef {{ key: string, incidents: number, ttaMedianMs: number | null, ttaCount: number, ttrMedianMs: number | null, ttrCount: number }} ResponseTimes
 */

/**
 * The post-incident summary on the incident page, in the reader's language (markdown the server wrote, its
 * untrusted parts escaped; rendered as text nodes). Null while the incident has not ended.
 * @param {{ summary?: IncidentSummary | null }} details
 */
export function summaryPanel({ summary }) {
  if (!summary) return null;
  const lang = language();
  const text = lang === 'zh-CN' ? summary.text['zh-CN'] : summary.text.en;
  const source = t(summary.source === 'model' ? 'console.summary.byModel' : 'console.summary.byTemplate');
  return h(
    'section',
    { class: 'panel', id: 'incident-summary' },
    h('h2', {}, t('console.summary.title')),
    h('p', { class: 'hint' }, source),
    h('div', { class: 'md' }, renderMarkdown(text)),
  );
}

/** @param {number | null} ms @param {number} n */
const median = (ms, n) => (ms === null || n === 0 ? t('console.responseTimes.none') : t('console.responseTimes.value', { minutes: Math.round(ms / 6000) / 10, n }));

/** @param {string} keyHeading @param {ResponseTimes[]} rows @param {(key: string) => string} name */
function timesTable(keyHeading, rows, name) {
  const head = h('tr', {}, h('th', {}, keyHeading), h('th', {}, t('console.responseTimes.tta')), h('th', {}, t('console.responseTimes.ttr')));
  const body = rows.map((row) => h('tr', { 'data-key': row.key }, h('td', {}, name(row.key)), h('td', {}, median(row.ttaMedianMs, row.ttaCount)), h('td', {}, median(row.ttrMedianMs, row.ttrCount))));
  return h('table', { class: 'incident-table response-times' }, h('thead', {}, head), h('tbody', {}, ...body));
}

/**
 * Time to acknowledge and time to resolve per service and per week (median and how many), for the incidents page.
 * @param {{ byService: ResponseTimes[], byWeek: ResponseTimes[] } | undefined} times
 */
export function responseTimesPanel(times) {
  if (!times || times.byService.length === 0) return h('section', { id: 'response-times' });
  return h(
    'section',
    { class: 'panel', id: 'response-times' },
    h('h2', {}, t('console.responseTimes.title')),
    timesTable(t('console.responseTimes.service'), times.byService, (key) => key || t('console.none')),
    timesTable(t('console.responseTimes.week'), times.byWeek, (key) => key),
  );
}

// @ts-check
import { api } from './api.js';
import { ago, h, incidentHref, replaceChildren } from './dom.js';
import { fullTime, t } from './i18n.js';
import { words } from './labels.js';
import { responseTimesPanel } from './summary.js';

/** @typedef {import('./types.js').IncidentItem} IncidentItem */

const STATUSES = ['', 'active', 'parked', 'done'];
const SEVERITIES = ['', 'critical', 'high', 'medium', 'low', 'info'];

/** @param {string[]} values @param {string} blank @param {string} id @param {(value: string) => string} name */
function select(values, blank, id, name) {
  return h('select', { id }, ...values.map((value) => h('option', { value }, value ? name(value) : blank)));
}

/** The incident list: status, severity, service, age; filters and a search that match on the server. */
export class IncidentsView {
  constructor() {
    this.status = select(STATUSES, t('console.incidents.anyStatus'), 'filter-status', (status) => t('console.status', { status }));
    this.severity = select(SEVERITIES, t('console.incidents.anySeverity'), 'filter-severity', (severity) => t('console.severity', { severity }));
    this.service = select([''], t('console.incidents.anyService'), 'filter-service', (service) => service);
    this.search = h('input', { type: 'search', id: 'filter-search', placeholder: t('console.incidents.search') });
    this.rows = h('tbody');
    this.count = h('span', { class: 'hint' });
    this.times = responseTimesPanel(undefined);
    for (const control of [this.status, this.severity, this.service]) control.addEventListener('change', () => void this.reload());
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let typing;
    this.search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => void this.reload(), 250);
    });
    const columns = ['console.column.incident', 'console.column.title', 'console.column.phase', 'console.column.status', 'console.column.severity', 'console.column.service', 'console.column.age'];
    const head = h('tr', {}, ...columns.map((key) => h('th', {}, t(key))));
    this.root = h(
      'section',
      { class: 'incidents' },
      h('div', { class: 'filters' }, this.status, this.severity, this.service, this.search, this.count),
      h('table', { class: 'incident-table' }, h('thead', {}, head), this.rows),
      this.times,
    );
  }

  async reload() {
    const query = new URLSearchParams({ status: this.status.value, severity: this.severity.value, service: this.service.value, q: this.search.value.trim() });
    const { incidents, services, responseTimes } = /** @type {{ incidents: IncidentItem[], services: string[], responseTimes?: Parameters<typeof responseTimesPanel>[0] }} */ (
      await api(`/incidents?${query.toString()}`)
    );
    const times = responseTimesPanel(responseTimes);
    this.times.replaceWith(times);
    this.times = times;
    const chosen = this.service.value;
    replaceChildren(this.service, h('option', { value: '' }, t('console.incidents.anyService')), ...services.map((name) => h('option', { value: name }, name)));
    this.service.value = services.includes(chosen) ? chosen : '';
    replaceChildren(this.rows, ...incidents.map(row));
    this.count.textContent = t('console.incidents.count', { n: incidents.length });
  }
}

/** @param {IncidentItem} incident */
function row(incident) {
  return h(
    'tr',
    { 'data-incident-id': incident.id },
    h('td', {}, h('a', { href: incidentHref(incident.id) }, incident.id)),
    h('td', { class: 'title' }, incident.title),
    h('td', {}, h('span', { class: 'phase', 'data-phase': incident.phase.id }, words(incident.phase.label))),
    h('td', {}, h('span', { class: `status ${incident.status}`, 'data-status': incident.status }, t('console.status', { status: incident.status }))),
    h('td', {}, h('span', { class: `severity ${incident.severity}` }, t('console.severity', { severity: incident.severity }))),
    h('td', {}, incident.service ?? t('console.none')),
    h('td', { title: fullTime(incident.createdAt) }, ago(incident.createdAt)),
  );
}

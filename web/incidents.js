// @ts-check
import { api } from './api.js';
import { ago, h, incidentHref, replaceChildren } from './dom.js';
import { words } from './labels.js';

/** @typedef {import('./types.js').IncidentItem} IncidentItem */

const STATUSES = ['', 'active', 'parked', 'done'];
const SEVERITIES = ['', 'critical', 'high', 'medium', 'low', 'info'];

/** @param {string[]} values @param {string} blank @param {string} id */
function select(values, blank, id) {
  return h('select', { id }, ...values.map((value) => h('option', { value }, value || blank)));
}

/** The incident list: status, severity, service, age; filters and a search that match on the server. */
export class IncidentsView {
  constructor() {
    this.status = select(STATUSES, 'any status', 'filter-status');
    this.severity = select(SEVERITIES, 'any severity', 'filter-severity');
    this.service = select([''], 'any service', 'filter-service');
    this.search = h('input', { type: 'search', id: 'filter-search', placeholder: 'Search id, title, service' });
    this.rows = h('tbody');
    this.count = h('span', { class: 'hint' });
    for (const control of [this.status, this.severity, this.service]) control.addEventListener('change', () => void this.reload());
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let typing;
    this.search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => void this.reload(), 250);
    });
    const head = h('tr', {}, ...['Incident', 'Title', 'Phase', 'Status', 'Severity', 'Service', 'Age'].map((name) => h('th', {}, name)));
    this.root = h(
      'section',
      { class: 'incidents' },
      h('div', { class: 'filters' }, this.status, this.severity, this.service, this.search, this.count),
      h('table', { class: 'incident-table' }, h('thead', {}, head), this.rows),
    );
  }

  async reload() {
    const query = new URLSearchParams({ status: this.status.value, severity: this.severity.value, service: this.service.value, q: this.search.value.trim() });
    const { incidents, services } = /** @type {{ incidents: IncidentItem[], services: string[] }} */ (await api(`/incidents?${query.toString()}`));
    const chosen = this.service.value;
    replaceChildren(this.service, h('option', { value: '' }, 'any service'), ...services.map((name) => h('option', { value: name }, name)));
    this.service.value = services.includes(chosen) ? chosen : '';
    replaceChildren(this.rows, ...incidents.map(row));
    this.count.textContent = `${incidents.length} incident(s)`;
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
    h('td', {}, h('span', { class: `status ${incident.status}` }, incident.status)),
    h('td', {}, h('span', { class: `severity ${incident.severity}` }, incident.severity)),
    h('td', {}, incident.service ?? '—'),
    h('td', { title: incident.createdAt }, ago(incident.createdAt)),
  );
}

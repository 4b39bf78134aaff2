// @ts-check
import { api } from './api.js';
import { ago, clock, h, replaceChildren, toast } from './dom.js';
import { actionsBar } from './incident-actions.js';
import { words } from './labels.js';
import { learnPeople } from './people.js';
import { drawStatechart, statechartLegend } from './statechart.js';
import { timelineTable } from './timeline.js';

/** @typedef {import('./types.js').IncidentDetails} IncidentDetails @typedef {import('./types.js').Statechart} Statechart */

/** @type {Promise<Statechart> | null} */
let chart = null;

/** @param {unknown} value */
const json = (value) => h('pre', { class: 'json' }, typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** @param {string} title @param {...(Node | string | null)} content */
const panel = (title, ...content) => h('section', { class: 'panel' }, h('h2', {}, title), ...content);

/** One incident: its place in the statechart, the audit timeline, and what each attempt found and did. */
export class IncidentView {
  /** @param {string} incidentId */
  constructor(incidentId) {
    this.incidentId = incidentId;
    this.root = h('section', { class: 'incident' }, h('p', { class: 'hint' }, 'Loading…'));
  }

  async reload() {
    chart ??= /** @type {Promise<Statechart>} */ (api('/statechart'));
    const [details, statechart] = await Promise.all([/** @type {Promise<IncidentDetails>} */ (api(`/incident?id=${encodeURIComponent(this.incidentId)}`)), chart]);
    learnPeople(details.people);
    const actions = actionsBar(details.incident.id, details.actions, () => void this.reload());
    replaceChildren(this.root, summary(details), actions, alertsPanel(details), statechartPanel(statechart, details), timeline(details), diagnoses(details), proposals(details), executions(details));
  }
}

/** Where the incident stands, in the phase's words (the state path is the statechart's, below). @param {IncidentDetails} details */
function summary({ incident, actions }) {
  const phase = words(incident.phase.label);
  const facts = [
    ['Phase', phase],
    ['Status', incident.status],
    ['Severity', incident.severity],
    ['Service', incident.service ?? '—'],
    ['Opened', `${clock(incident.createdAt)} (${ago(incident.createdAt)})`],
    ['Updated', clock(incident.updatedAt)],
    ['Attempt', String(incident.attempt)],
    ['Repeats', String(incident.repeats)],
    ['Accepts', actions.map((action) => action.label).join(', ') || 'nothing from people now'],
  ];
  if (incident.escalation) facts.push(['Escalated', `${incident.escalation.reason}${incident.escalation.detail ? `: ${incident.escalation.detail}` : ''}`]);
  return h(
    'header',
    { class: 'incident-head' },
    h('h1', {}, h('span', { class: 'incident-id' }, incident.id), ' ', incident.title),
    h('div', { class: 'chips' }, h('span', { class: `status ${incident.status}`, id: 'incident-status' }, incident.status === 'done' ? phase : incident.status), h('span', { class: `severity ${incident.severity}` }, incident.severity)),
    h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term ?? ''), h('dd', {}, value ?? '')])),
    incident.alert?.description ? h('blockquote', { class: 'alert-text' }, incident.alert.description) : null,
  );
}

/** @param {Statechart} statechart @param {IncidentDetails} details */
function statechartPanel(statechart, details) {
  const text = `createMachine(${JSON.stringify(statechart.stately, null, 2)})`;
  const download = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(statechart.stately, null, 2)], { type: 'application/json' })), download: 'incident.stately.json' }, 'Stately JSON');
  const open = h('a', { href: statechart.editorUrl, target: '_blank', rel: 'noopener noreferrer', id: 'stately-link' }, 'Open the machine in the Stately editor');
  // The editor imports code (Import → From code); the machine is put on the clipboard for that.
  open.addEventListener('click', () => {
    navigator.clipboard.writeText(text).then(
      () => toast('info', 'The machine is on your clipboard: in the Stately editor choose Import → From code and paste it.'),
      () => toast('warning', 'Could not copy the machine; download the Stately JSON and import it wrapped in createMachine(…).'),
    );
  });
  const figure = h('div', { class: 'chart-scroll' });
  figure.appendChild(drawStatechart(statechart.layout, { current: details.incident.state, visited: details.visited, steps: details.steps }));
  // The chart is larger than the panel: open it scrolled to the current state.
  const current = statechart.layout.states.find((state) => state.id === details.incident.state);
  if (current) {
    requestAnimationFrame(() => {
      figure.scrollLeft = Math.max(0, current.x + current.width / 2 - figure.clientWidth / 2);
      figure.scrollTop = Math.max(0, current.y + current.height / 2 - figure.clientHeight / 2);
    });
  }
  const path = details.steps.length
    ? h('ol', { class: 'path-taken', id: 'path-taken' }, ...details.steps.map(([from, to]) => h('li', {}, h('code', {}, from), ' → ', h('code', {}, to))))
    : h('p', { class: 'hint' }, 'No transition yet.');
  return panel(
    'Statechart',
    h('p', { class: 'hint' }, 'Laid out by ELK, as in the Stately editor. Hover a state or an edge for its details. ', open, ' · ', download),
    statechartLegend(),
    figure,
    h('details', { class: 'path-details' }, h('summary', {}, `Path taken (${details.steps.length} transitions)`), path),
  );
}

/** @param {IncidentDetails} details */
function timeline({ timeline: entries }) {
  return panel('Timeline', h('p', { class: 'hint' }, 'What happened, oldest first; "raw" shows the event as it was recorded.'), timelineTable(entries));
}

/** The alerts the incident holds (a group: one row each), firing first. Alert text is shown as text. @param {IncidentDetails} details */
function alertsPanel({ alerts, tally }) {
  if (alerts.length <= 1) return null;
  const total = tally?.total ?? alerts.length;
  const firing = tally?.firing ?? alerts.filter((a) => a.status === 'firing').length;
  const rows = alerts.map((a) =>
    h(
      'tr',
      { class: `alert-${a.status}` },
      h('td', {}, a.status),
      h('td', {}, a.instance ?? ''),
      h('td', {}, a.title),
      h('td', {}, a.severity),
      h('td', { title: a.firstSeen }, clock(a.firstSeen)),
      h('td', { title: a.lastSeen }, a.resolvedAt ? `resolved ${clock(a.resolvedAt)}` : clock(a.lastSeen)),
      h('td', {}, String(a.count)),
    ),
  );
  const head = h('tr', {}, ...['Status', 'Affected', 'Alert', 'Severity', 'First seen', 'Last', 'Seen'].map((name) => h('th', {}, name)));
  const more = total > alerts.length ? h('p', { class: 'hint' }, `Showing ${alerts.length} of ${total}.`) : null;
  return panel(`Alerts: ${total} (${firing} firing)`, h('table', { class: 'alerts', id: 'alerts' }, h('thead', {}, head), h('tbody', {}, ...rows)), more);
}

/** @param {IncidentDetails} details */
function diagnoses({ diagnoses: list }) {
  if (list.length === 0) return panel('Diagnosis', h('p', { class: 'hint' }, 'No diagnosis yet.'));
  return panel(
    'Diagnosis',
    ...list.map(({ attempt, diagnosis }) =>
      h(
        'div',
        { class: 'record' },
        h('h3', {}, `Attempt ${attempt}: ${diagnosis.summary}`),
        h('p', {}, h('strong', {}, 'Root cause: '), diagnosis.rootCause),
        h('p', { class: 'hint' }, `${diagnosis.category} · ${diagnosis.severity} · confidence ${Math.round(diagnosis.confidence * 100)}%${diagnosis.confidenceNote ? ` (${diagnosis.confidenceNote})` : ''}`),
        h('ul', { class: 'evidence' }, ...diagnosis.evidence.map((e) => h('li', {}, h('code', {}, e.source), ` ${e.status}: `, e.summary, e.citation ? h('span', { class: 'hint' }, ` [${e.citation.ref}] tool: ${e.citation.toolSummary}`) : null))),
      ),
    ),
  );
}

/** @param {IncidentDetails} details */
function proposals({ proposals: list }) {
  if (list.length === 0) return panel('Proposals', h('p', { class: 'hint' }, 'No proposal yet.'));
  return panel(
    'Proposals',
    ...list.map(({ attempt, outcome, decision }) =>
      h(
        'div',
        { class: 'record' },
        outcome.fixable
          ? [
              h('h3', {}, `Attempt ${attempt}: ${outcome.proposal.summary}`),
              h('p', {}, outcome.proposal.rationale),
              h('ol', {}, ...outcome.proposal.steps.map((step) => h('li', {}, h('code', {}, step.pluginId), ` ${step.summary}`, step.plan ? json(step.plan) : null))),
            ]
          : h('h3', {}, `Attempt ${attempt}: no fix (${outcome.reason})`),
        decision
          ? h(
              'div',
              { class: 'decision' },
              h('strong', {}, `Policy: ${decision.action.replace('_', ' ')}`),
              ` · risk ${decision.risk} · ${decision.approvalsRequired} approval(s)${decision.dryRun ? ' · dry run' : ''}`,
              h('ul', { class: 'reasons' }, ...decision.reasons.map((reason) => h('li', {}, reason))),
            )
          : h('p', { class: 'hint' }, 'Policy has not decided yet.'),
      ),
    ),
  );
}

/** @param {IncidentDetails} details */
function executions({ executions: list, incident }) {
  const rows = list.map((run) =>
    h('div', { class: 'record' }, h('h3', {}, h('code', {}, run.pluginId), ` ${run.status}`), h('p', { class: 'hint' }, `${clock(run.startedAt)}${run.finishedAt ? ` → ${clock(run.finishedAt)}` : ''}`), json(run.args), h('h4', {}, 'Output'), json(run.result)),
  );
  const checks = incident.verification
    ? h('div', { class: 'record' }, h('h3', {}, `Verification ${incident.verification.passed ? 'passed' : 'failed'}`), h('ul', {}, ...incident.verification.checks.map((c) => h('li', {}, h('code', {}, c.pluginId), ` ${c.passed ? 'passed' : 'failed'}: ${c.summary}`))))
    : null;
  return panel('Executions', ...(rows.length ? rows : [h('p', { class: 'hint' }, 'Nothing has run.')]), checks);
}

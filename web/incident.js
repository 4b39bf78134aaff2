// @ts-check
import { api } from './api.js';
import { ago, clock, h, replaceChildren, toast } from './dom.js';
import { fixProgress } from './fix-progress.js';
import { fullTime, t } from './i18n.js';
import { actionsBar } from './incident-actions.js';
import { language, words } from './labels.js';
import { learnPeople } from './people.js';
import { seenBeforePanel } from './seen-before.js';
import { drawStatechart, statechartLegend } from './statechart.js';
import { summaryPanel } from './summary.js';
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
    this.root = h('section', { class: 'incident' }, h('p', { class: 'hint' }, t('console.loading')));
  }

  async reload() {
    chart ??= /** @type {Promise<Statechart>} */ (api('/statechart'));
    const [details, statechart] = await Promise.all([/** @type {Promise<IncidentDetails>} */ (api(`/incident?id=${encodeURIComponent(this.incidentId)}`)), chart]);
    learnPeople(details.people);
    const actions = actionsBar(details.incident.id, details.actions, () => void this.reload());
    replaceChildren(this.root, summary(details), actions, summaryPanel(details), alertsPanel(details), statechartPanel(statechart, details), timeline(details), diagnoses(details), seenBeforePanel(details.seenBefore), proposals(details), executions(details));
  }
}

/** Where the incident stands, in the phase's words (the state path is the statechart's, below). @param {IncidentDetails} details */
function summary({ incident, actions }) {
  const phase = words(incident.phase.label);
  const status = t('console.status', { status: incident.status });
  const severity = t('console.severity', { severity: incident.severity });
  const accepts = actions.map((action) => words(action.label));
  const facts = [
    [t('console.fact.phase'), phase],
    [t('console.fact.status'), status],
    [t('console.fact.severity'), severity],
    [t('console.fact.service'), incident.service ?? t('console.none')],
    [t('console.fact.opened'), t('console.fact.openedAt', { at: new Date(incident.createdAt), ago: ago(incident.createdAt) })],
    [t('console.fact.updated'), clock(incident.updatedAt)],
    [t('console.fact.attempt'), String(incident.attempt)],
    [t('console.fact.repeats'), String(incident.repeats)],
    [t('console.fact.accepts'), accepts.length ? new Intl.ListFormat(language(), { type: 'conjunction' }).format(accepts) : t('console.fact.acceptsNothing')],
  ];
  const { escalation } = incident;
  if (escalation) facts.push([t('console.fact.escalated'), escalation.detail ? t('console.fact.escalation', { reason: escalation.reason, detail: escalation.detail }) : escalation.reason]);
  return h(
    'header',
    { class: 'incident-head' },
    h('h1', {}, h('span', { class: 'incident-id' }, incident.id), ' ', incident.title),
    h('div', { class: 'chips' }, h('span', { class: `status ${incident.status}`, id: 'incident-status' }, incident.status === 'done' ? phase : status), h('span', { class: `severity ${incident.severity}` }, severity)),
    h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term ?? ''), h('dd', {}, value ?? '')])),
    incident.alert?.description ? h('blockquote', { class: 'alert-text' }, incident.alert.description) : null,
  );
}

/** @param {Statechart} statechart @param {IncidentDetails} details */
function statechartPanel(statechart, details) {
  const text = `createMachine(${JSON.stringify(statechart.stately, null, 2)})`;
  const download = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(statechart.stately, null, 2)], { type: 'application/json' })), download: 'incident.stately.json' }, t('console.statechart.download'));
  const open = h('a', { href: statechart.editorUrl, target: '_blank', rel: 'noopener noreferrer', id: 'stately-link' }, t('console.statechart.open'));
  // The editor imports code (Import → From code); the machine is put on the clipboard for that.
  open.addEventListener('click', () => {
    navigator.clipboard.writeText(text).then(
      () => toast('info', t('console.statechart.copied')),
      () => toast('warning', t('console.statechart.notCopied')),
    );
  });
  const figure = h('div', { class: 'chart-scroll' });
  // While a fix runs, its executing state says which step: "Step 2 of 3: kubernetes.scale".
  const progress = fixProgress(details.incident);
  const note = progress && t(progress.key, progress.values);
  figure.appendChild(drawStatechart(statechart.layout, { current: details.incident.state, phase: words(details.incident.phase.label), visited: details.visited, steps: details.steps, note }));
  // The chart is larger than the panel: open it scrolled to the current state.
  const current = statechart.layout.states.find((state) => state.id === details.incident.state);
  if (current) {
    requestAnimationFrame(() => {
      figure.scrollLeft = Math.max(0, current.x + current.width / 2 - figure.clientWidth / 2);
      figure.scrollTop = Math.max(0, current.y + current.height / 2 - figure.clientHeight / 2);
    });
  }
  // The path in words; a state's path only in its tooltip.
  const named = new Map(statechart.layout.states.map((state) => [state.id, words(state.words)]));
  const stateWords = (/** @type {string} */ id) => h('span', { title: id }, named.get(id) ?? id);
  const path = details.steps.length
    ? h('ol', { class: 'path-taken', id: 'path-taken' }, ...details.steps.map(([from, to]) => h('li', {}, stateWords(from), ' → ', stateWords(to))))
    : h('p', { class: 'hint' }, t('console.statechart.noTransition'));
  return panel(
    t('console.statechart.title'),
    h('p', { class: 'hint' }, t('console.statechart.hint'), ' ', open, ' · ', download),
    statechartLegend(),
    figure,
    h('details', { class: 'path-details' }, h('summary', {}, t('console.statechart.path', { n: details.steps.length })), path),
  );
}

/** @param {IncidentDetails} details */
function timeline({ timeline: entries }) {
  return panel(t('console.timeline.title'), h('p', { class: 'hint' }, t('console.timeline.hint')), timelineTable(entries));
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
      h('td', {}, t('console.alertStatus', { status: a.status })),
      h('td', {}, a.instance ?? ''),
      h('td', {}, a.title),
      h('td', {}, t('console.severity', { severity: a.severity })),
      h('td', { title: fullTime(a.firstSeen) }, clock(a.firstSeen)),
      h('td', { title: fullTime(a.lastSeen) }, a.resolvedAt ? t('console.alerts.resolvedAt', { at: new Date(a.resolvedAt) }) : clock(a.lastSeen)),
      h('td', {}, String(a.count)),
    ),
  );
  const columns = ['console.alerts.status', 'console.alerts.affected', 'console.alerts.alert', 'console.alerts.severity', 'console.alerts.firstSeen', 'console.alerts.last', 'console.alerts.seen'];
  const head = h('tr', {}, ...columns.map((key) => h('th', {}, t(key))));
  const more = total > alerts.length ? h('p', { class: 'hint' }, t('console.alerts.showing', { shown: alerts.length, total })) : null;
  return panel(t('console.alerts.title', { total, firing }), h('table', { class: 'alerts', id: 'alerts' }, h('thead', {}, head), h('tbody', {}, ...rows)), more);
}

/** @param {IncidentDetails} details */
function diagnoses({ diagnoses: list }) {
  if (list.length === 0) return panel(t('console.diagnosis.title'), h('p', { class: 'hint' }, t('console.diagnosis.none')));
  return panel(
    t('console.diagnosis.title'),
    ...list.map(({ attempt, diagnosis }) =>
      h(
        'div',
        { class: 'record' },
        h('h3', {}, t('console.attempt', { attempt, summary: diagnosis.summary })),
        h('p', {}, h('strong', {}, t('console.diagnosis.rootCause')), ' ', diagnosis.rootCause),
        h('p', { class: 'hint' }, diagnosisFacts(diagnosis)),
        h('ul', { class: 'evidence' }, ...diagnosis.evidence.map((e) => h('li', {}, h('code', {}, e.source), ` ${t('console.evidence.status', { status: e.status })}: `, e.summary, e.citation ? h('span', { class: 'hint' }, ' ', t('console.evidence.citation', { ref: e.citation.ref, tool: e.citation.toolSummary })) : null))),
      ),
    ),
  );
}

/** Category, severity and confidence (with the model's note on it). @param {IncidentDetails['diagnoses'][number]['diagnosis']} diagnosis */
function diagnosisFacts(diagnosis) {
  const values = { category: diagnosis.category, severity: t('console.severity', { severity: diagnosis.severity }), confidence: diagnosis.confidence };
  return diagnosis.confidenceNote ? t('console.diagnosis.factsNote', { ...values, note: diagnosis.confidenceNote }) : t('console.diagnosis.facts', values);
}

/** @param {IncidentDetails} details */
function proposals({ proposals: list }) {
  if (list.length === 0) return panel(t('console.proposals.title'), h('p', { class: 'hint' }, t('console.proposals.none')));
  return panel(
    t('console.proposals.title'),
    ...list.map(({ attempt, outcome, decision }) =>
      h(
        'div',
        { class: 'record' },
        outcome.fixable
          ? [
              h('h3', {}, t('console.attempt', { attempt, summary: outcome.proposal.summary })),
              h('p', {}, outcome.proposal.rationale),
              h('ol', {}, ...outcome.proposal.steps.map((step) => h('li', {}, h('code', {}, step.pluginId), ` ${step.summary}`, step.plan ? json(step.plan) : null))),
            ]
          : h('h3', {}, t('console.proposals.noFix', { attempt, reason: outcome.reason })),
        decision
          ? h(
              'div',
              { class: 'decision' },
              h('strong', {}, t('console.policy.action', { action: decision.action })),
              ` · ${t('console.policy.facts', { risk: decision.risk.replace('-', '_'), approvals: decision.approvalsRequired })}${decision.dryRun ? ` · ${t('console.policy.dryRun')}` : ''}`,
              h('ul', { class: 'reasons' }, ...decision.reasons.map((reason) => h('li', {}, words(reason)))),
            )
          : h('p', { class: 'hint' }, t('console.policy.undecided')),
      ),
    ),
  );
}

/** @param {IncidentDetails} details */
function executions({ executions: list, incident }) {
  const rows = list.map((run) =>
    h(
      'div',
      { class: 'record' },
      h('h3', {}, h('code', {}, run.pluginId), ` ${t('console.executions.status', { status: run.status })}`),
      h('p', { class: 'hint' }, `${clock(run.startedAt)}${run.finishedAt ? ` → ${clock(run.finishedAt)}` : ''}`),
      json(run.args),
      h('h4', {}, t('console.executions.output')),
      json(run.result),
    ),
  );
  const { verification } = incident;
  const checks = verification
    ? h(
        'div',
        { class: 'record' },
        h('h3', {}, t(verification.passed ? 'console.verification.passed' : 'console.verification.failed')),
        h('ul', {}, ...verification.checks.map((c) => h('li', {}, h('code', {}, c.pluginId), ' ', t(c.passed ? 'console.check.passed' : 'console.check.failed', { summary: c.summary })))),
      )
    : null;
  return panel(t('console.executions.title'), ...(rows.length ? rows : [h('p', { class: 'hint' }, t('console.executions.none'))]), checks);
}

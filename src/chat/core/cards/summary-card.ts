import { DECISION_LABELS, isPersonEventType } from '../../../../machines/incident.labels';
import type { IncidentSummary, SummaryFacts, SummaryProse } from '../../../domain/incident-summary';
import { isSeverity } from './card-format';
import type { Translator } from '../../../i18n';
import type { Card } from '../card';
import { bulletList, headed, LIMITS, severityTag, stepStatusWord } from './card-format';
import { escalationReasonText } from './escalation-reason';
import { escapeMarkdown, quoteUntrusted } from './untrusted-text';

const MINUTE = 60_000;
const PROSE_LIMIT = 2_000;

/** 45 seconds / 12 minutes / 2 h 5 min, in the reader's language. */
export function durationText(tr: Translator, ms: number): string {
  if (ms < MINUTE) return tr.t('summary.seconds', { n: Math.max(0, Math.round(ms / 1000)) });
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return tr.t('summary.minutes', { n: minutes });
  return tr.t('summary.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

const ttaText = (tr: Translator, facts: SummaryFacts) => (facts.ttaMs === null ? tr.t('summary.noAck') : durationText(tr, facts.ttaMs));
const ttrText = (tr: Translator, facts: SummaryFacts) => (facts.ttrMs === null ? tr.t('summary.notResolved') : durationText(tr, facts.ttrMs));

function firedLine(facts: SummaryFacts, tr: Translator): string {
  const { fired } = facts;
  const values = { title: escapeMarkdown(fired.title, LIMITS.title), n: fired.alerts, at: new Date(facts.openedAt) };
  return fired.service ? tr.t('summary.firedOn', { ...values, service: escapeMarkdown(fired.service, 100) }) : tr.t('summary.fired', values);
}

function decisionLines(facts: SummaryFacts, tr: Translator): string {
  if (facts.decisions.length === 0) return tr.t('summary.noDecisions');
  const lines = facts.decisions.map((decision) => {
    const who = escapeMarkdown(decision.name ?? decision.by, 100);
    const what = isPersonEventType(decision.action) ? tr.label(DECISION_LABELS[decision.action].by, { who }) : escapeMarkdown(decision.action, 100);
    return tr.t('summary.decision', { at: new Date(decision.at), what });
  });
  return headed(tr.t('summary.decisions'), bulletList(tr, lines));
}

function ranLines(facts: SummaryFacts, tr: Translator): string[] {
  if (facts.steps.length === 0) return [tr.t('summary.nothingRan')];
  const steps = facts.steps.map((step) =>
    tr.t('card.outcome.step', {
      plugin: escapeMarkdown(step.pluginId, 100),
      status: stepStatusWord(tr, step.status as Parameters<typeof stepStatusWord>[1]),
      recovered: 'no',
      summary: escapeMarkdown(step.summary, LIMITS.evidence),
    }),
  );
  const sections = [headed(tr.t('card.outcome.whatRan'), bulletList(tr, steps))];
  if (facts.dryRun) sections.push(tr.t('summary.dryRun'));
  else if (facts.verified !== undefined) sections.push(tr.t('summary.changed', { verified: facts.verified ? 'yes' : 'no' }));
  return sections;
}

function outcomeLine(facts: SummaryFacts, tr: Translator): string {
  if (facts.outcome === 'escalated') return tr.t('summary.escalated', { reason: escalationReasonText(tr, facts.escalationReason) });
  return tr.t(facts.outcome === 'resolved' ? 'summary.resolved' : 'summary.recovered');
}

/** The template: each fact a sentence from the catalog, untrusted values escaped (markdown). */
export function templateSections(facts: SummaryFacts, tr: Translator): string[] {
  const found = facts.cause
    ? tr.t('summary.found', { summary: escapeMarkdown(facts.cause.summary), rootCause: escapeMarkdown(facts.cause.rootCause) })
    : tr.t('summary.notFound');
  return [firedLine(facts, tr), found, decisionLines(facts, tr), ...ranLines(facts, tr), outcomeLine(facts, tr)];
}

/** The model's prose, marked as the model's and quoted as data, with the rows it cites. */
export function proseSections(prose: SummaryProse, tr: Translator): string[] {
  const text = tr.language === 'zh-CN' ? prose['zh-CN'] : prose.en;
  return [tr.t('summary.byModel', { rows: prose.cites.join(', ') }), quoteUntrusted(text, PROSE_LIMIT)];
}

/** The summary as kept and shown in the console: its sections, then TTA and TTR (markdown). */
export function summaryMarkdown(facts: SummaryFacts, prose: SummaryProse | undefined, tr: Translator): string {
  const sections = prose ? proseSections(prose, tr) : templateSections(facts, tr);
  return [...sections, tr.t('summary.times', { tta: ttaText(tr, facts), ttr: ttrText(tr, facts) })].join('\n\n');
}

/** The summary card posted in the incident's thread when it ends. */
export function summaryCard(summary: Pick<IncidentSummary, 'facts'> & { prose?: SummaryProse }, tr: Translator): Card {
  const { facts, prose } = summary;
  const severity = isSeverity(facts.fired.severity) ? severityTag(tr, facts.fired.severity) : escapeMarkdown(facts.fired.severity, 20);
  return {
    title: tr.t('summary.title', { severity, incidentId: facts.incidentId }),
    tone: facts.outcome === 'escalated' ? 'orange' : 'blue',
    sections: prose ? proseSections(prose, tr) : templateSections(facts, tr),
    fields: [
      { label: tr.t('summary.tta'), value: ttaText(tr, facts) },
      { label: tr.t('summary.ttr'), value: ttrText(tr, facts) },
    ],
    buttons: [],
  };
}

import type { Diagnosis, IncidentContext } from '../../../domain';
import type { Translator } from '../../../i18n';
import type { Card, CardField } from '../card';
import { agentRunLine } from './agent-run-line';
import { evidenceStatusWord, headed, LIMITS, percent, severityTag, TONE_BY_SEVERITY } from './card-format';
import { alertFields, alertOf, alertSections, button, footer } from './incident-card-parts';
import { seenBeforeSection } from './seen-before';
import { isUncheckable, uncheckedCard } from './unchecked-diagnosis-card';
import { escapeMarkdown, quoteUntrusted } from './untrusted-text';

function evidenceSection(diagnosis: Diagnosis, tr: Translator): string {
  const evidence = diagnosis.evidence.map((e) => {
    const cited = e.citation ? ` [${escapeMarkdown(e.citation.ref, 10)}]` : '';
    const reported =
      e.citation && e.citation.toolSummary !== e.summary
        ? `\n${quoteUntrusted(tr.t('card.diagnosis.toolReported', { summary: e.citation.toolSummary }), LIMITS.evidence)}`
        : '';
    const status = evidenceStatusWord(tr, e.status);
    return `${escapeMarkdown(e.source, 100)}${cited} (${status}):\n${quoteUntrusted(e.summary, LIMITS.evidence)}${reported}`;
  });
  return headed(tr.t('card.diagnosis.evidence'), evidence.slice(0, LIMITS.items).join('\n'));
}

function diagnosisFields(ctx: IncidentContext, diagnosis: Diagnosis, tr: Translator): CardField[] {
  const alert = alertOf(ctx);
  const fields = [
    ...alertFields(ctx, alert, tr),
    { label: tr.t('card.diagnosis.category'), value: escapeMarkdown(diagnosis.category, 100) },
    { label: tr.t('card.diagnosis.confidence'), value: percent(diagnosis.confidence) },
  ];
  if (diagnosis.affectedService && diagnosis.affectedService !== alert.service) {
    fields.push({ label: tr.t('card.diagnosis.affectedService'), value: escapeMarkdown(diagnosis.affectedService, 100) });
  }
  if (diagnosis.agent) fields.push({ label: tr.t('card.diagnosis.model'), value: agentRunLine(diagnosis.agent, tr) });
  return fields;
}

/** Asks a person to confirm the root cause before any fix is proposed. */
export function diagnosisCard(ctx: IncidentContext, tr: Translator): Card {
  const alert = alertOf(ctx);
  const diagnosis = ctx.diagnosis;
  if (!diagnosis) throw new Error(`incident ${ctx.incidentId} has no diagnosis to show`);
  if (isUncheckable(diagnosis)) return uncheckedCard(ctx, alert, diagnosis, tr);

  const sections = [
    ...alertSections(alert, ctx, tr),
    headed(tr.t('card.diagnosis.summary'), escapeMarkdown(diagnosis.summary)),
    headed(tr.t('card.diagnosis.rootCause'), escapeMarkdown(diagnosis.rootCause)),
  ];
  if (diagnosis.evidence.length > 0) sections.push(evidenceSection(diagnosis, tr));
  if (diagnosis.confidenceNote) {
    sections.push(tr.t('card.diagnosis.confidenceNote', { percent: percent(diagnosis.confidence), note: escapeMarkdown(diagnosis.confidenceNote, 300) }));
  }
  if (diagnosis.seenBefore && diagnosis.seenBefore.incidents.length > 0) sections.push(seenBeforeSection(diagnosis.seenBefore, tr));
  sections.push(tr.t('card.diagnosis.question'));

  return {
    title: tr.t('card.diagnosis.title', { severity: severityTag(tr, diagnosis.severity), incidentId: ctx.incidentId }),
    tone: TONE_BY_SEVERITY[diagnosis.severity],
    sections,
    fields: diagnosisFields(ctx, diagnosis, tr),
    buttons: [
      button(ctx, tr.t('card.button.approve'), 'primary', 'diagnosis.approved', 'approve', 'diagnosis'),
      button(ctx, tr.t('card.button.reject'), 'danger', 'diagnosis.rejected', 'reject', 'diagnosis'),
    ],
    footer: footer(ctx, tr),
  };
}

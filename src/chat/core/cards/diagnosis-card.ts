import type { IncidentContext } from '../../../domain';
import type { Card } from '../card';
import { agentRunLine } from './agent-run-line';
import { LIMITS, percent, TONE_BY_SEVERITY } from './card-format';
import { alertFields, alertOf, alertSections, button, footer } from './incident-card-parts';
import { isUncheckable, uncheckedCard } from './unchecked-diagnosis-card';
import { escapeMarkdown, quoteUntrusted } from './untrusted-text';

/** Asks a person to confirm the root cause before any fix is proposed. */
export function diagnosisCard(ctx: IncidentContext): Card {
  const alert = alertOf(ctx);
  const diagnosis = ctx.diagnosis;
  if (!diagnosis) throw new Error(`incident ${ctx.incidentId} has no diagnosis to show`);
  if (isUncheckable(diagnosis)) return uncheckedCard(ctx, alert, diagnosis);

  const sections = [
    ...alertSections(alert, ctx),
    `**Summary**\n${escapeMarkdown(diagnosis.summary)}`,
    `**Root cause**\n${escapeMarkdown(diagnosis.rootCause)}`,
  ];
  if (diagnosis.evidence.length > 0) {
    const evidence = diagnosis.evidence.map((e) => {
      const cited = e.citation ? ` [${escapeMarkdown(e.citation.ref, 10)}]` : '';
      const reported = e.citation && e.citation.toolSummary !== e.summary ? `\n${quoteUntrusted(`Tool reported: ${e.citation.toolSummary}`, LIMITS.evidence)}` : '';
      return `${escapeMarkdown(e.source, 100)}${cited} (${e.status}):\n${quoteUntrusted(e.summary, LIMITS.evidence)}${reported}`;
    });
    sections.push(`**Evidence**\n${evidence.slice(0, LIMITS.items).join('\n')}`);
  }
  if (diagnosis.confidenceNote) sections.push(`**Confidence ${percent(diagnosis.confidence)}**: ${escapeMarkdown(diagnosis.confidenceNote, 300)}`);
  sections.push('Is this diagnosis right? Approve to let me propose a fix; reject to hand it to people.');

  const fields = [
    ...alertFields(ctx, alert),
    { label: 'Category', value: escapeMarkdown(diagnosis.category, 100) },
    { label: 'Confidence', value: percent(diagnosis.confidence) },
  ];
  if (diagnosis.affectedService && diagnosis.affectedService !== alert.service) {
    fields.push({ label: 'Affected service', value: escapeMarkdown(diagnosis.affectedService, 100) });
  }
  if (diagnosis.agent) fields.push({ label: 'Model', value: agentRunLine(diagnosis.agent) });

  return {
    title: `[${diagnosis.severity.toUpperCase()}] Diagnosis ready · ${ctx.incidentId}`,
    tone: TONE_BY_SEVERITY[diagnosis.severity],
    sections,
    fields,
    buttons: [
      button(ctx, 'Approve', 'primary', 'diagnosis.approved', 'approve', 'diagnosis'),
      button(ctx, 'Reject', 'danger', 'diagnosis.rejected', 'reject', 'diagnosis'),
    ],
    footer: footer(ctx),
  };
}

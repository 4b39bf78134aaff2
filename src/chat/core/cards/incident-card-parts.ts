import type { Alert, IncidentContext, Severity } from '../../../domain';
import type { Translator } from '../../../i18n';
import type { CardButton, CardField } from '../card';
import { LIMITS, severityWord } from './card-format';
import { escapeMarkdown, quoteUntrusted } from './untrusted-text';

/** The parts every incident card shares: the alert, its fields, the footer and the buttons. */

export function alertOf(ctx: IncidentContext): Alert {
  if (!ctx.alert) throw new Error(`incident ${ctx.incidentId} has no alert to show`);
  return ctx.alert;
}

export function alertSections(alert: Alert, ctx: IncidentContext, tr: Translator): string[] {
  const heading = tr.t('card.alert.heading', { source: escapeMarkdown(alert.source, 100) });
  const sections = [`${heading}\n${quoteUntrusted(alert.title, LIMITS.title)}`];
  if (alert.description?.trim()) sections.push(quoteUntrusted(alert.description, LIMITS.description));
  const group = alertGroupSection(ctx, tr);
  if (group) sections.push(group);
  return sections;
}

/** How many affected instances a card names before "and N more". */
const AFFECTED_SHOWN = 10;

/** An incident holding several alerts says how many fire and which instances are affected. */
export function alertGroupSection(ctx: IncidentContext, tr: Translator): string | undefined {
  const tally = ctx.alerts;
  if (!tally || tally.total <= 1) return undefined;
  const counts = tr.t('card.alert.group', { total: tally.total, firing: tally.firing, recovered: tally.total - tally.firing });
  if (tally.affected.length === 0) return counts;
  const shown = tally.affected.slice(0, AFFECTED_SHOWN).map((name) => escapeMarkdown(name, 100));
  const more = Math.max(0, tally.affectedTotal - shown.length);
  return `${counts}\n${tr.t('card.alert.affected', { names: shown.join(', '), more })}`;
}

/** The diagnosis may re-assess the alert's severity; both are shown when they differ. */
export function severityOf(ctx: IncidentContext, alert: Alert): Severity {
  return ctx.diagnosis?.severity ?? alert.severity;
}

export function alertFields(ctx: IncidentContext, alert: Alert, tr: Translator): CardField[] {
  const severity = severityOf(ctx, alert);
  const value =
    severity === alert.severity
      ? severityWord(tr, severity)
      : tr.t('card.field.severityReassessed', { severity: severityWord(tr, severity), alertSeverity: severityWord(tr, alert.severity) });
  const fields: CardField[] = [
    { label: tr.t('card.field.incident'), value: ctx.incidentId },
    { label: tr.t('card.field.severity'), value },
  ];
  if (alert.service) fields.push({ label: tr.t('card.field.service'), value: escapeMarkdown(alert.service, 100) });
  if (alert.status === 'resolved') fields.push({ label: tr.t('card.field.alertStatus'), value: tr.t('card.field.resolvedAtSource') });
  return fields;
}

export function footer(ctx: IncidentContext, tr: Translator): string {
  const parts = [tr.t('card.footer.incident', { incidentId: ctx.incidentId }), tr.t('card.footer.attempt', { attempt: ctx.attempt })];
  if (ctx.repeats > 0) parts.push(tr.t('card.footer.fired', { times: ctx.repeats + 1 }));
  const flaps = ctx.flaps ?? 0;
  if (flaps > 0) parts.push(tr.t('card.footer.reopened', { flaps }));
  if (ctx.recovery && flaps >= ctx.recovery.flapLimit) parts.push(tr.t('card.footer.flapping'));
  return parts.join(' · ');
}

export function button(
  ctx: IncidentContext,
  label: string,
  style: CardButton['style'],
  action: string,
  verb: string,
  subject?: 'diagnosis' | 'fix',
): CardButton {
  // Decisions name their subject, so a button read late cannot decide the incident's next question.
  const command = subject ? `/${verb} ${ctx.incidentId} ${subject}` : `/${verb} ${ctx.incidentId}`;
  const kind = subject === 'diagnosis' ? 'diagnosis' : subject === 'fix' ? 'proposal' : 'outcome';
  return { label, style, value: { incidentId: ctx.incidentId, action, kind, attempt: ctx.attempt }, command };
}

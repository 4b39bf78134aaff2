import type { Alert, IncidentContext, Severity } from '../../../domain';
import type { CardButton, CardField } from '../card';
import { LIMITS } from './card-format';
import { escapeMarkdown, quoteUntrusted } from './untrusted-text';

/** The parts every incident card shares: the alert, its fields, the footer and the buttons. */

export function alertOf(ctx: IncidentContext): Alert {
  if (!ctx.alert) throw new Error(`incident ${ctx.incidentId} has no alert to show`);
  return ctx.alert;
}

export function alertSections(alert: Alert, ctx?: IncidentContext): string[] {
  const sections = [`**Alert** (${escapeMarkdown(alert.source, 100)})\n${quoteUntrusted(alert.title, LIMITS.title)}`];
  if (alert.description?.trim()) sections.push(quoteUntrusted(alert.description, LIMITS.description));
  const group = ctx ? alertGroupSection(ctx) : undefined;
  if (group) sections.push(group);
  return sections;
}

/** How many affected instances a card names before "and N more". */
const AFFECTED_SHOWN = 10;

/** An incident holding several alerts says how many fire and which instances are affected. */
export function alertGroupSection(ctx: IncidentContext): string | undefined {
  const tally = ctx.alerts;
  if (!tally || tally.total <= 1) return undefined;
  const recovered = tally.total - tally.firing;
  const counts = `**${tally.total} alerts** in this incident: ${tally.firing} firing${recovered ? `, ${recovered} recovered` : ''}`;
  if (tally.affected.length === 0) return counts;
  const shown = tally.affected.slice(0, AFFECTED_SHOWN).map((name) => escapeMarkdown(name, 100));
  const more = tally.affectedTotal - shown.length;
  return `${counts}\nAffected: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** The diagnosis may re-assess the alert's severity; both are shown when they differ. */
export function severityOf(ctx: IncidentContext, alert: Alert): Severity {
  return ctx.diagnosis?.severity ?? alert.severity;
}

export function alertFields(ctx: IncidentContext, alert: Alert): CardField[] {
  const severity = severityOf(ctx, alert);
  const fields: CardField[] = [
    { label: 'Incident', value: ctx.incidentId },
    { label: 'Severity', value: severity === alert.severity ? severity : `${severity} (alert said ${alert.severity})` },
  ];
  if (alert.service) fields.push({ label: 'Service', value: escapeMarkdown(alert.service, 100) });
  if (alert.status === 'resolved') fields.push({ label: 'Alert status', value: 'resolved at source' });
  return fields;
}

export function footer(ctx: IncidentContext): string {
  const parts = [`Incident ${ctx.incidentId}`, `attempt ${ctx.attempt}`];
  if (ctx.repeats > 0) parts.push(`fired ${ctx.repeats + 1} times`);
  const flaps = ctx.flaps ?? 0;
  if (flaps > 0) parts.push(`reopened ${flaps} time${flaps > 1 ? 's' : ''} after recovering`);
  if (ctx.recovery && flaps >= ctx.recovery.flapLimit) parts.push('flapping: no longer resolves by itself');
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

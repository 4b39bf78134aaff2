import { rollbackRefusal } from '../../../../machines/incident.rules';
import type { IncidentContext, StepOutcome } from '../../../domain';
import type { Translator } from '../../../i18n';
import type { Card } from '../card';
import { bulletList, headed, LIMITS, severityTag, stepStatusWord, summaryText, verificationSection } from './card-format';
import { escalationReasonText } from './escalation-reason';
import { alertFields, alertOf, alertSections, button, footer, severityOf } from './incident-card-parts';
import { policyReasonLines } from './policy-reasons';
import { rollbackOf, rolledBackSections } from './rollback-parts';
import { escapeMarkdown, quoteUntrusted } from './untrusted-text';

function stepLines(steps: StepOutcome[], tr: Translator): string {
  const lines = steps.map((step) =>
    tr.t('card.outcome.step', {
      plugin: escapeMarkdown(step.pluginId, 100),
      status: stepStatusWord(tr, step.status),
      recovered: step.recovered ? 'yes' : 'no',
      summary: summaryText(tr, step, LIMITS.evidence),
    }),
  );
  return bulletList(tr, lines);
}

function resolvedSections(ctx: IncidentContext, tr: Translator): string[] {
  const sections: string[] = [];
  if (ctx.execution) sections.push(headed(tr.t('card.outcome.whatRan'), stepLines(ctx.execution.steps, tr)));
  if (ctx.decision?.action === 'auto_execute' && ctx.execution) {
    sections.push(`${tr.t('card.outcome.ranWithoutAsking')}\n${bulletList(tr, policyReasonLines(ctx.decision, tr))}`);
  }
  if (ctx.verification) sections.push(verificationSection(ctx.verification, tr));
  const resolution = ctx.resolution;
  if (resolution && resolution.by.id !== 'system') {
    const who = escapeMarkdown(resolution.by.name ?? resolution.by.id, 100);
    const note = resolution.note ? `\n${quoteUntrusted(resolution.note)}` : '';
    sections.push(`${tr.t('card.outcome.closedBy', { who })}${note}`);
  }
  if (sections.length === 0) sections.push(tr.t('card.outcome.resolved'));
  return sections;
}

function escalatedSections(ctx: IncidentContext, tr: Translator): string[] {
  const escalation = ctx.escalation;
  const sections = [headed(tr.t('card.outcome.why'), escalationReasonText(tr, escalation?.reason))];
  // Detail is an error message or a person's words: both are quoted as data.
  if (escalation?.detail) sections.push(quoteUntrusted(escalation.detail));
  if (escalation?.by) sections.push(tr.t('card.outcome.escalatedBy', { who: escapeMarkdown(escalation.by.name ?? escalation.by.id, 100) }));
  const rollback = rollbackOf(ctx);
  if (ctx.execution?.dryRun) {
    sections.push(`${tr.t('card.outcome.dryRun')}\n${stepLines(ctx.execution.steps, tr)}`);
  } else if (rollback) {
    // After a rollback, what ran were undos: the card says what they undid and what is still changed.
    sections.push(...rolledBackSections(ctx, rollback, tr));
  } else if (ctx.execution) {
    const unknown = ctx.execution.steps.some((s) => s.status === 'unknown');
    sections.push(headed(tr.t('card.outcome.whatRan'), stepLines(ctx.execution.steps, tr)));
    if (unknown) sections.push(tr.t('card.outcome.unknownEffect'));
  }
  sections.push(tr.t('card.outcome.whatNext'));
  if (mayRollBack(ctx)) sections.push(tr.t('card.outcome.mayRollBack'));
  return sections;
}

/** The fix changed what its plugins can undo, and ended within ROLLBACK_WINDOW: the card offers to roll it back. */
function mayRollBack(ctx: IncidentContext): boolean {
  return rollbackRefusal(ctx) === undefined;
}

function recoveredSections(ctx: IncidentContext, tr: Translator): string[] {
  const changed = ctx.execution && !ctx.execution.dryRun;
  const sections = [tr.t(changed ? 'card.outcome.recoveredAfterChange' : 'card.outcome.recoveredUntouched')];
  if (ctx.escalation) sections.push(tr.t('card.outcome.wasEscalated', { reason: escalationReasonText(tr, ctx.escalation.reason) }));
  sections.push(tr.t('card.outcome.reopensOnRepeat'));
  return sections;
}

/** Announces how an incident ended up: fixed and verified, handed to people, or recovered at source. */
export function outcomeCard(ctx: IncidentContext, outcome: 'resolved' | 'escalated' | 'recovered', tr: Translator): Card {
  if (outcome === 'recovered') return recoveredCard(ctx, tr);
  const alert = alertOf(ctx);
  const resolved = outcome === 'resolved';
  const title = { severity: severityTag(tr, severityOf(ctx, alert)), incidentId: ctx.incidentId };
  return {
    title: tr.t(resolved ? 'card.outcome.resolvedTitle' : 'card.outcome.escalatedTitle', title),
    tone: resolved ? 'green' : 'red',
    sections: [...alertSections(alert, ctx, tr), ...(resolved ? resolvedSections(ctx, tr) : escalatedSections(ctx, tr))],
    fields: alertFields(ctx, alert, tr),
    buttons: resolved
      ? []
      : [
          button(ctx, tr.t('card.button.retry'), 'primary', 'incident.retry', 'retry'),
          button(ctx, tr.t('card.button.resolve'), 'default', 'incident.resolve', 'resolve'),
          button(ctx, tr.t('card.button.ignore'), 'danger', 'incident.ignore', 'ignore'),
          ...(mayRollBack(ctx) ? [button(ctx, tr.t('card.button.rollback'), 'danger', 'incident.rollback', 'rollback')] : []),
        ],
    footer: footer(ctx, tr),
  };
}

function recoveredCard(ctx: IncidentContext, tr: Translator): Card {
  const alert = alertOf(ctx);
  return {
    title: tr.t('card.outcome.recoveredTitle', { severity: severityTag(tr, severityOf(ctx, alert)), incidentId: ctx.incidentId }),
    tone: 'green',
    sections: [...alertSections(alert, ctx, tr), ...recoveredSections(ctx, tr)],
    fields: alertFields(ctx, alert, tr),
    buttons: [],
    footer: footer(ctx, tr),
  };
}

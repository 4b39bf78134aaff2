import type { IncidentContext, StepOutcome } from '../../../domain';
import type { Card } from '../card';
import { bulletList, LIMITS } from './card-format';
import { alertFields, alertOf, alertSections, button, footer, severityOf } from './incident-card-parts';
import { escapeMarkdown, quoteUntrusted } from './untrusted-text';

function stepLine(step: StepOutcome): string {
  const recovered = step.recovered ? ', recovered after restart' : '';
  return `${escapeMarkdown(step.pluginId, 100)} ${step.status}${recovered}: ${escapeMarkdown(step.summary, LIMITS.evidence)}`;
}

function resolvedSections(ctx: IncidentContext): string[] {
  const sections: string[] = [];
  if (ctx.execution) sections.push(`**What ran**\n${bulletList(ctx.execution.steps.map(stepLine))}`);
  if (ctx.decision?.action === 'auto_execute' && ctx.execution) {
    sections.push(`**Policy**: ran without asking.\n${bulletList(ctx.decision.reasons.map((reason) => escapeMarkdown(reason)))}`);
  }
  if (ctx.verification) {
    const checks = ctx.verification.checks.map(
      (c) => `${escapeMarkdown(c.pluginId, 100)} ${c.passed ? 'passed' : 'failed'}: ${escapeMarkdown(c.summary, LIMITS.evidence)}`,
    );
    sections.push(`**Verification**\n${bulletList(checks)}`);
  }
  const resolution = ctx.resolution;
  if (resolution && resolution.by.id !== 'system') {
    const who = escapeMarkdown(resolution.by.name ?? resolution.by.id, 100);
    const note = resolution.note ? `\n${quoteUntrusted(resolution.note)}` : '';
    sections.push(`Closed by ${who}.${note}`);
  }
  if (sections.length === 0) sections.push('Resolved.');
  return sections;
}

function escalatedSections(ctx: IncidentContext): string[] {
  const escalation = ctx.escalation;
  const sections = [`**Why**\n${escapeMarkdown(escalation?.reason ?? 'Escalated')}`];
  // Detail is an error message or a person's words: both are quoted as data.
  if (escalation?.detail) sections.push(quoteUntrusted(escalation.detail));
  if (escalation?.by) sections.push(`Escalated by ${escapeMarkdown(escalation.by.name ?? escalation.by.id, 100)}.`);
  if (ctx.execution?.dryRun) {
    sections.push(`**Dry run**: nothing was changed. What would have run:\n${bulletList(ctx.execution.steps.map(stepLine))}`);
  } else if (ctx.execution) {
    const unknown = ctx.execution.steps.some((s) => s.status === 'unknown');
    sections.push(`**What ran**\n${bulletList(ctx.execution.steps.map(stepLine))}`);
    if (unknown) sections.push('Some steps have an unknown effect: check the systems before retrying.');
  }
  sections.push('**What next**\nRetry runs the diagnosis again; Resolve once people have fixed it; Ignore if it needs nothing.');
  return sections;
}

function recoveredSections(ctx: IncidentContext): string[] {
  const changed = ctx.execution && !ctx.execution.dryRun;
  const sections = [
    changed
      ? 'Every alert of this incident recovered at source.'
      : 'Every alert of this incident recovered at source before anything was changed: nobody needs to act.',
  ];
  if (ctx.escalation) sections.push(`It had been escalated (${escapeMarkdown(ctx.escalation.reason)}) and stayed quiet since.`);
  sections.push('If one of its alerts fires again soon, this incident reopens instead of a new one.');
  return sections;
}

/** Announces how an incident ended up: fixed and verified, handed to people, or recovered at source. */
export function outcomeCard(ctx: IncidentContext, outcome: 'resolved' | 'escalated' | 'recovered'): Card {
  if (outcome === 'recovered') return recoveredCard(ctx);
  const alert = alertOf(ctx);
  const resolved = outcome === 'resolved';
  return {
    title: `[${severityOf(ctx, alert).toUpperCase()}] ${resolved ? 'Resolved' : 'Escalated'} · ${ctx.incidentId}`,
    tone: resolved ? 'green' : 'red',
    sections: [...alertSections(alert, ctx), ...(resolved ? resolvedSections(ctx) : escalatedSections(ctx))],
    fields: alertFields(ctx, alert),
    buttons: resolved
      ? []
      : [
          button(ctx, 'Retry', 'primary', 'incident.retry', 'retry'),
          button(ctx, 'Resolve', 'default', 'incident.resolve', 'resolve'),
          button(ctx, 'Ignore', 'danger', 'incident.ignore', 'ignore'),
        ],
    footer: footer(ctx),
  };
}

function recoveredCard(ctx: IncidentContext): Card {
  const alert = alertOf(ctx);
  return {
    title: `[${severityOf(ctx, alert).toUpperCase()}] Recovered at source · ${ctx.incidentId}`,
    tone: 'green',
    sections: [...alertSections(alert, ctx), ...recoveredSections(ctx)],
    fields: alertFields(ctx, alert),
    buttons: [],
    footer: footer(ctx),
  };
}

import type { AgentRun, Alert, IncidentContext, Severity, StepOutcome } from '../domain';
import { approvalsNeeded } from '../domain';
import type { PolicyDecision } from '../domain';
import type { Card, CardButton, CardField, CardTone } from './card';

/**
 * Pure builders from incident data to chat-neutral cards. Everything that came from outside (alert
 * text, tool output, model output derived from them, people's comments) is escaped, and alert or
 * tool text additionally sits in a quote block, so it is shown as data and never read as markup.
 */

const LIMITS = { title: 300, description: 800, text: 600, evidence: 300, items: 10 } as const;

const TONE_BY_SEVERITY: Record<Severity, CardTone> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'blue',
  info: 'grey',
};

/** Characters that are markdown syntax anywhere in a line; `<` also stops Lark `<at>` mentions. */
const INLINE_SYNTAX = /[\\`*_[\]<>~|&]/g;
/** Characters that are syntax only at the start of a line: headings, quotes, lists, setext rules. */
const LINE_START_SYNTAX = /^(\s*\d*)([#>+=.)-])/gm;
/** C0/C1 controls (ANSI escapes included) and bidi overrides would let alert text drive or spoof a display. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Untrusted text as literal markdown: controls removed, length capped, syntax escaped. */
export function escapeMarkdown(text: string, max: number = LIMITS.text): string {
  return truncate(text.replace(CONTROL_CHARS, ' '), max)
    .replace(INLINE_SYNTAX, (c) => `\\${c}`)
    .replace(LINE_START_SYNTAX, (_m, lead: string, marker: string) => `${lead}\\${marker}`);
}

/** Untrusted text as a markdown quote block, so it reads as a citation rather than the bot's words. */
export function quoteUntrusted(text: string, max: number = LIMITS.text): string {
  return escapeMarkdown(text.trim() || '(empty)', max)
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}

function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

function alertOf(ctx: IncidentContext): Alert {
  if (!ctx.alert) throw new Error(`incident ${ctx.incidentId} has no alert to show`);
  return ctx.alert;
}

function alertSections(alert: Alert): string[] {
  const sections = [`**Alert** (${escapeMarkdown(alert.source, 100)})\n${quoteUntrusted(alert.title, LIMITS.title)}`];
  if (alert.description?.trim()) sections.push(quoteUntrusted(alert.description, LIMITS.description));
  return sections;
}

/** The diagnosis may re-assess the alert's severity; both are shown when they differ. */
function severityOf(ctx: IncidentContext, alert: Alert): Severity {
  return ctx.diagnosis?.severity ?? alert.severity;
}

function alertFields(ctx: IncidentContext, alert: Alert): CardField[] {
  const severity = severityOf(ctx, alert);
  const fields: CardField[] = [
    { label: 'Incident', value: ctx.incidentId },
    { label: 'Severity', value: severity === alert.severity ? severity : `${severity} (alert said ${alert.severity})` },
  ];
  if (alert.service) fields.push({ label: 'Service', value: escapeMarkdown(alert.service, 100) });
  if (alert.status === 'resolved') fields.push({ label: 'Alert status', value: 'resolved at source' });
  return fields;
}

function footer(ctx: IncidentContext): string {
  const parts = [`Incident ${ctx.incidentId}`, `attempt ${ctx.attempt}`];
  if (ctx.repeats > 0) parts.push(`fired ${ctx.repeats + 1} times`);
  return parts.join(' · ');
}

function button(
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

function bulletList(lines: string[]): string {
  const shown = lines.slice(0, LIMITS.items).map((line) => `- ${line}`);
  if (lines.length > LIMITS.items) shown.push(`- … and ${lines.length - LIMITS.items} more`);
  return shown.join('\n');
}

/** Asks a person to confirm the root cause before any fix is proposed. */
export function diagnosisCard(ctx: IncidentContext): Card {
  const alert = alertOf(ctx);
  const diagnosis = ctx.diagnosis;
  if (!diagnosis) throw new Error(`incident ${ctx.incidentId} has no diagnosis to show`);

  const sections = [
    ...alertSections(alert),
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

/** Approvals so far of the needed, with who gave them: `1 of 2 (alice)`. */
function approvalsText(ctx: IncidentContext, decision: PolicyDecision): string {
  const given = (ctx.approvals.proposalApprovers ?? []).map((a) => escapeMarkdown(a.by.name ?? a.by.id, 100));
  return `${given.length} of ${approvalsNeeded(decision)}${given.length ? ` (${given.join(', ')})` : ''}`;
}

/** What policy said beyond the reasons: who may approve, quotas left. */
function policyFields(ctx: IncidentContext, decision: PolicyDecision): CardField[] {
  const fields: CardField[] = [
    { label: 'Risk', value: decision.risk },
    { label: 'Policy', value: decision.action.replace(/_/g, ' ') },
    { label: 'Approvals', value: approvalsText(ctx, decision) },
  ];
  if (decision.approvers) fields.push({ label: 'May approve', value: escapeMarkdown(decision.approvers.roles.join(', ') || 'nobody', 200) });
  if (decision.quotas?.length) {
    const left = decision.quotas.map((q) => `${q.left} of ${q.limit} (${escapeMarkdown(q.scope, 100)})`);
    fields.push({ label: 'Automatic runs left this hour', value: left.join(', ') });
  }
  return fields;
}

/** Asks a person to approve a fix that policy would not run on its own. */
export function proposalCard(ctx: IncidentContext): Card {
  const alert = alertOf(ctx);
  const { proposal, decision } = ctx;
  if (!proposal) throw new Error(`incident ${ctx.incidentId} has no proposal to show`);
  if (!decision) throw new Error(`incident ${ctx.incidentId} has no policy decision to show`);

  const steps = proposal.steps.map((step, i) => {
    const line = `${i + 1}. ${escapeMarkdown(step.summary)} (${escapeMarkdown(step.pluginId, 100)})`;
    return step.plan ? `${line}\n   Plan: ${escapeMarkdown(step.plan, 500)}` : line;
  });
  const checks = proposal.verification.map((check) => {
    const expected = (check.expect ?? []).map((e) => `${e.path}${e.atMost !== undefined ? ` ≤ ${e.atMost}` : ''}${e.atLeast !== undefined ? ` ≥ ${e.atLeast}` : ''}`);
    return escapeMarkdown(expected.length > 0 ? `${check.pluginId} (${expected.join(', ')})` : check.pluginId, 200);
  });
  const sections = [
    ...alertSections(alert),
    `**Proposed fix**\n${escapeMarkdown(proposal.summary)}`,
    `**Steps**\n${steps.join('\n')}`,
    `**Verified by**\n${checks.join(', ')}`,
  ];
  if (proposal.expectedOutcome) sections.push(`**Expected outcome**\n${escapeMarkdown(proposal.expectedOutcome)}`);
  if (proposal.rollback?.length) sections.push(`**If it makes things worse**\n${bulletList(proposal.rollback.map((line) => escapeMarkdown(line)))}`);
  if (proposal.rationale.trim()) sections.push(`**Why**\n${escapeMarkdown(proposal.rationale)}`);
  if (decision.reasons.length > 0) {
    sections.push(`**Policy**\n${bulletList(decision.reasons.map((reason) => escapeMarkdown(reason)))}`);
  }
  if (decision.dryRun) sections.push('**Dry run**: nothing will run. Approving shows what would have run.');

  return {
    title: `[${severityOf(ctx, alert).toUpperCase()}] Fix needs approval${decision.dryRun ? ' (dry run)' : ''} · ${ctx.incidentId}`,
    tone: TONE_BY_SEVERITY[severityOf(ctx, alert)],
    sections,
    fields: [...alertFields(ctx, alert), ...policyFields(ctx, decision), ...(proposal.agent ? [{ label: 'Model', value: agentRunLine(proposal.agent) }] : [])],
    buttons: [
      button(ctx, 'Approve', 'primary', 'proposal.approved', 'approve', 'fix'),
      button(ctx, 'Reject', 'danger', 'proposal.rejected', 'reject', 'fix'),
    ],
    footer: footer(ctx),
  };
}

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

/** Announces how an incident ended up: fixed and verified, or handed to people. */
export function outcomeCard(ctx: IncidentContext, outcome: 'resolved' | 'escalated'): Card {
  const alert = alertOf(ctx);
  const resolved = outcome === 'resolved';
  return {
    title: `[${severityOf(ctx, alert).toUpperCase()}] ${resolved ? 'Resolved' : 'Escalated'} · ${ctx.incidentId}`,
    tone: resolved ? 'green' : 'red',
    sections: [...alertSections(alert), ...(resolved ? resolvedSections(ctx) : escalatedSections(ctx))],
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

/** `claude-sonnet-4-5 · 3 turns · 5 checks · 4,210 tokens · $0.0123` */
export function agentRunLine(run: AgentRun): string {
  const tokens = (run.inputTokens + run.outputTokens).toLocaleString('en-US');
  const cost = run.costUsd === undefined ? '' : ` · $${run.costUsd.toFixed(4)}`;
  return `${escapeMarkdown(run.model, 100)} · ${run.turns} turn(s) · ${run.toolCalls} check(s) · ${tokens} tokens${cost}`;
}

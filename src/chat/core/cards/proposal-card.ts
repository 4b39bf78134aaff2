import type { IncidentContext, PolicyDecision } from '../../../domain';
import { approvalsNeeded } from '../../../domain';
import type { Card, CardField } from '../card';
import { agentRunLine } from './agent-run-line';
import { bulletList, TONE_BY_SEVERITY } from './card-format';
import { alertFields, alertOf, alertSections, button, footer, severityOf } from './incident-card-parts';
import { escapeMarkdown } from './untrusted-text';

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
    ...alertSections(alert, ctx),
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

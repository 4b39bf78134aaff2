import type { FixProposal, FixStep, IncidentContext, PolicyDecision } from '../../../domain';
import { approvalsNeeded } from '../../../domain';
import type { MessageKey, Translator } from '../../../i18n';
import type { Card, CardField } from '../card';
import { agentRunLine } from './agent-run-line';
import { bulletList, headed, riskWord, severityTag, TONE_BY_SEVERITY } from './card-format';
import { alertFields, alertOf, alertSections, button, footer, severityOf } from './incident-card-parts';
import { policyReasonLines } from './policy-reasons';
import { rollbackOf, rollbackProposalSections } from './rollback-parts';
import { escapeMarkdown } from './untrusted-text';
import { quotaScope } from '../../../policy/policy-text';

const POLICY_ACTIONS = {
  auto_execute: 'card.policyAction.auto_execute',
  require_approval: 'card.policyAction.require_approval',
  escalate: 'card.policyAction.escalate',
} as const satisfies Record<PolicyDecision['action'], MessageKey>;

/** Approvals so far of the needed, with who gave them: `1 of 2 (alice)`. */
function approvalsText(ctx: IncidentContext, decision: PolicyDecision, tr: Translator): string {
  const given = (ctx.approvals.proposalApprovers ?? []).map((a) => escapeMarkdown(a.by.name ?? a.by.id, 100));
  const counts = { given: given.length, needed: approvalsNeeded(decision) };
  return given.length ? tr.t('card.proposal.approvalsBy', { ...counts, names: given.join(', ') }) : tr.t('card.proposal.approvalsCount', counts);
}

/** What policy said beyond the reasons: who may approve, quotas left. */
function policyFields(ctx: IncidentContext, decision: PolicyDecision, tr: Translator): CardField[] {
  const fields: CardField[] = [
    { label: tr.t('card.proposal.risk'), value: riskWord(tr, decision.risk) },
    { label: tr.t('card.proposal.policy'), value: tr.t(POLICY_ACTIONS[decision.action]) },
    { label: tr.t('card.proposal.approvals'), value: approvalsText(ctx, decision, tr) },
  ];
  if (decision.approvers) {
    const roles = decision.approvers.roles.length ? escapeMarkdown(decision.approvers.roles.join(', '), 200) : tr.t('card.proposal.nobody');
    fields.push({ label: tr.t('card.proposal.mayApprove'), value: roles });
  }
  if (decision.quotas?.length) {
    const left = decision.quotas.map((q) => tr.t('card.proposal.quotaLeft', { left: q.left, limit: q.limit, scope: escapeMarkdown(quotaScope(tr, q.scope), 100) }));
    fields.push({ label: tr.t('card.proposal.runsLeft'), value: left.join(', ') });
  }
  return fields;
}

const UNDO_WORDS = {
  rollback: 'card.proposal.undo.rollback',
  none: 'card.proposal.undo.none',
} as const satisfies Record<NonNullable<FixStep['undo']>, MessageKey>;

/** Before the buttons, when any step cannot be undone: which ones (a step the plugin says nothing about is not named). */
function notUndoableLine(proposal: FixProposal, tr: Translator): string | undefined {
  const steps = proposal.steps.flatMap((step, i) => (step.undo === 'none' ? [tr.t('card.proposal.stepRef', { n: i + 1, plugin: escapeMarkdown(step.pluginId, 100) })] : []));
  return steps.length > 0 ? tr.t('card.proposal.notFullyUndoable', { steps: tr.list(steps) }) : undefined;
}

function fixSections(proposal: FixProposal, tr: Translator): string[] {
  const steps = proposal.steps.map((step, i) => {
    const undo = step.undo ? ` · ${tr.t(UNDO_WORDS[step.undo])}` : '';
    const line = `${i + 1}. ${escapeMarkdown(step.summary)} (${escapeMarkdown(step.pluginId, 100)})${undo}`;
    return step.plan ? `${line}\n   ${tr.t('card.proposal.plan', { plan: escapeMarkdown(step.plan, 500) })}` : line;
  });
  const checks = proposal.verification.map((check) => {
    const expected = (check.expect ?? []).map((e) => `${e.path}${e.atMost !== undefined ? ` ≤ ${e.atMost}` : ''}${e.atLeast !== undefined ? ` ≥ ${e.atLeast}` : ''}`);
    return escapeMarkdown(expected.length > 0 ? `${check.pluginId} (${expected.join(', ')})` : check.pluginId, 200);
  });
  const sections = [
    headed(tr.t('card.proposal.fix'), escapeMarkdown(proposal.summary)),
    headed(tr.t('card.proposal.steps'), steps.join('\n')),
    headed(tr.t('card.proposal.verifiedBy'), checks.join(', ')),
  ];
  if (proposal.expectedOutcome) sections.push(headed(tr.t('card.proposal.expectedOutcome'), escapeMarkdown(proposal.expectedOutcome)));
  // The proposer's older per-plugin lines; a proposal whose steps say it themselves does not need them.
  if (proposal.rollback?.length && proposal.steps.every((step) => step.undo === undefined)) sections.push(headed(tr.t('card.proposal.rollback'), bulletList(tr, proposal.rollback.map((line) => escapeMarkdown(line)))));
  if (proposal.rationale.trim()) sections.push(headed(tr.t('card.proposal.why'), escapeMarkdown(proposal.rationale)));
  return sections;
}

/** Asks a person to approve a fix that policy would not run on its own. */
export function proposalCard(ctx: IncidentContext, tr: Translator): Card {
  const alert = alertOf(ctx);
  const { proposal, decision } = ctx;
  if (!proposal) throw new Error(`incident ${ctx.incidentId} has no proposal to show`);
  if (!decision) throw new Error(`incident ${ctx.incidentId} has no policy decision to show`);

  // A rollback's card says it undoes a fix: its steps are undos (none of which is itself undone) and nothing verifies it.
  const rollback = rollbackOf(ctx);
  const sections = [...alertSections(alert, ctx, tr), ...(rollback ? rollbackProposalSections(proposal, rollback, tr) : fixSections(proposal, tr))];
  const reasons = policyReasonLines(decision, tr);
  if (reasons.length > 0) sections.push(headed(tr.t('card.proposal.policy'), bulletList(tr, reasons)));
  if (decision.dryRun) sections.push(tr.t('card.proposal.dryRun'));
  const notUndoable = rollback ? undefined : notUndoableLine(proposal, tr);
  if (notUndoable) sections.push(notUndoable);
  const severity = severityOf(ctx, alert);
  const model = proposal.agent ? [{ label: tr.t('card.diagnosis.model'), value: agentRunLine(proposal.agent, tr) }] : [];

  return {
    title: tr.t(rollback ? 'card.rollback.title' : 'card.proposal.title', { severity: severityTag(tr, severity), dryRun: decision.dryRun ? 'yes' : 'no', incidentId: ctx.incidentId }),
    tone: TONE_BY_SEVERITY[severity],
    sections,
    fields: [...alertFields(ctx, alert, tr), ...policyFields(ctx, decision, tr), ...model],
    buttons: [
      button(ctx, tr.t('card.button.approve'), 'primary', 'proposal.approved', 'approve', 'fix'),
      button(ctx, tr.t('card.button.reject'), 'danger', 'proposal.rejected', 'reject', 'fix'),
    ],
    footer: footer(ctx, tr),
  };
}

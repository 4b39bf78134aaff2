import type { FixProposal, IncidentContext, Rollback, StepOutcome } from '../../../domain';
import type { MessageKey, Translator } from '../../../i18n';
import { bulletList, headed, LIMITS, stepStatusWord, summaryText, verificationSection } from './card-format';
import { escapeMarkdown } from './untrusted-text';

/**
 * Why the fix is undone: the chart records it in English words (`startRollback` params in
 * machines/incident.machine.ts, kept so in snapshots); the catalog says it in the reader's language.
 */
const REASON_KEYS: ReadonlyMap<string, MessageKey> = new Map<string, MessageKey>([
  ['Fix did not verify', 'card.rollback.reason.notVerified'], // for developers: the chart's word, matched, never shown
  ['Remediation failed', 'card.rollback.reason.failed'], // for developers: the chart's word, matched, never shown
  ['Rolled back by hand', 'card.rollback.reason.byHand'], // for developers: the chart's word, matched, never shown
]);

/** The chart's own prefix of a rollback step (`Undo: <step>`): the card says "undo" in the reader's language instead. */
const UNDO_PREFIX = 'Undo: ';

/** The incident's current proposal is a rollback, and the chart recorded why. */
export function rollbackOf(ctx: IncidentContext): Rollback | undefined {
  return ctx.proposal?.kind === 'rollback' && ctx.rollback ? ctx.rollback : undefined;
}

/** Why the fix is being (or was) undone, in the reader's language; a reason the catalog lacks reads as recorded. */
export function rollbackReasonText(tr: Translator, rollback: Rollback): string {
  const key = REASON_KEYS.get(rollback.reason);
  if (!key) return escapeMarkdown(rollback.reason, LIMITS.text);
  const who = rollback.by ? escapeMarkdown(rollback.by.name ?? rollback.by.id, 100) : '';
  return tr.t(key, { who, byWhom: who ? 'yes' : 'no' });
}

function undoneStepText(summary: string): string {
  return escapeMarkdown(summary.startsWith(UNDO_PREFIX) ? summary.slice(UNDO_PREFIX.length) : summary);
}

/** What cannot be undone, a line each: the steps' own summaries, as the fix proposed them. */
function notUndoneList(tr: Translator, rollback: Rollback, more: string[] = []): string | undefined {
  const lines = [...rollback.notUndone.map((summary) => escapeMarkdown(summary)), ...more];
  return lines.length > 0 ? headed(tr.t('card.rollback.notUndone'), bulletList(tr, lines)) : undefined;
}

/**
 * The rollback's proposal card, between the alert and the policy: why, the fix it undoes, its steps (already last
 * first), what cannot be undone. No verification: a rollback ends with people, whatever it finds.
 */
export function rollbackProposalSections(proposal: FixProposal, rollback: Rollback, tr: Translator): string[] {
  const steps = proposal.steps.map((step, i) =>
    tr.t('card.rollback.step', { n: i + 1, step: undoneStepText(step.summary), plugin: escapeMarkdown(step.pluginId, 100) }),
  );
  const sections = [headed(tr.t('card.rollback.why'), rollbackReasonText(tr, rollback))];
  // What the fix's checks found (it did not verify), so the person deciding sees why it is undone.
  const checked = rollback.original?.verification;
  if (checked && !checked.passed) sections.push(verificationSection(checked, tr));
  sections.push(
    headed(tr.t('card.rollback.fix'), escapeMarkdown(rollback.fix)),
    headed(tr.t('card.rollback.steps'), steps.join('\n')),
  );
  const notUndone = notUndoneList(tr, rollback);
  if (notUndone) sections.push(notUndone);
  sections.push(tr.t('card.rollback.noVerification'));
  return sections;
}

function outcomeLine(tr: Translator, step: StepOutcome): string {
  return tr.t('card.outcome.step', {
    plugin: escapeMarkdown(step.pluginId, 100),
    status: stepStatusWord(tr, step.status),
    recovered: step.recovered ? 'yes' : 'no',
    summary: summaryText(tr, step, LIMITS.evidence),
  });
}

/**
 * The escalation card after a rollback ran: what it undid, and what it could not — the fix's steps that cannot be
 * undone, the undo steps that failed, and those not tried after one failed (the fix stops at the first failure).
 */
export function rolledBackSections(ctx: IncidentContext, rollback: Rollback, tr: Translator): string[] {
  const ran = ctx.execution?.steps ?? [];
  // Completed: every undo step succeeded (the chart's `rollbackSucceeded`); a dry run undid nothing.
  const done = ctx.execution?.succeeded === true && ctx.execution.dryRun !== true;
  const sections = [tr.t('card.rollback.ofFix', { done: done ? 'yes' : 'no', fix: escapeMarkdown(rollback.fix), reason: rollbackReasonText(tr, rollback) })];
  const undone = ran.filter((step) => step.status === 'success');
  if (undone.length > 0) sections.push(headed(tr.t('card.rollback.undone'), bulletList(tr, undone.map((step) => outcomeLine(tr, step)))));
  const failed = ran.filter((step) => step.status !== 'success').map((step) => outcomeLine(tr, step));
  const untried = (ctx.proposal?.steps ?? []).slice(ran.length).map((step) => tr.t('card.rollback.untried', { step: undoneStepText(step.summary), plugin: escapeMarkdown(step.pluginId, 100) }));
  const notUndone = notUndoneList(tr, rollback, [...failed, ...untried]);
  if (notUndone) sections.push(notUndone);
  return sections;
}

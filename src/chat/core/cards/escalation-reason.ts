import type { MessageKey, Translator } from '../../../i18n';
import { escapeMarkdown } from './untrusted-text';

/**
 * The chart records why it escalated in English words (`recordEscalation` params in machines/incident.machine.ts,
 * kept so in snapshots); people read them from the catalog. A reason not listed here (one added to the chart
 * later) is shown as it is; a test checks that every reason of the chart is listed.
 */
export const ESCALATION_REASON_KEYS: Readonly<Record<string, MessageKey>> = {
  'Escalated by hand': 'card.escalation.byHand',
  'Triage failed': 'card.escalation.triageFailed',
  'Diagnosis unavailable': 'card.escalation.diagnosisUnavailable',
  'Diagnosis timed out': 'card.escalation.diagnosisTimedOut',
  'Could not post the diagnosis card': 'card.escalation.diagnosisCardFailed',
  'Nobody confirmed the diagnosis in time': 'card.escalation.diagnosisUnconfirmed',
  'Diagnosis rejected': 'card.escalation.diagnosisRejected',
  'No automatic fix is known': 'card.escalation.noFixKnown',
  'Could not propose a fix': 'card.escalation.proposeFailed',
  'Proposing a fix timed out': 'card.escalation.proposeTimedOut',
  'Policy does not allow this fix': 'card.escalation.policyForbids',
  'Policy evaluation failed': 'card.escalation.policyFailed',
  'Could not post the proposal card': 'card.escalation.proposalCardFailed',
  'Nobody approved the fix in time': 'card.escalation.proposalUnapproved',
  'Fix rejected': 'card.escalation.fixRejected',
  'Dry run: nothing was changed': 'card.escalation.dryRun',
  'Remediation failed': 'card.escalation.remediationFailed',
  'Remediation crashed': 'card.escalation.remediationCrashed',
  'Remediation timed out; its effect is unknown': 'card.escalation.remediationTimedOut',
  'Fix did not verify': 'card.escalation.notVerified',
  'Verification failed to run': 'card.escalation.verificationFailed',
  'Verification timed out': 'card.escalation.verificationTimedOut',
};

/** Why the incident was escalated, in the reader's language; markdown-safe. */
export function escalationReasonText(tr: Translator, reason: string | undefined): string {
  if (reason === undefined) return tr.t('card.escalation.default');
  const key = Object.hasOwn(ESCALATION_REASON_KEYS, reason) ? ESCALATION_REASON_KEYS[reason] : undefined;
  return key ? tr.t(key) : escapeMarkdown(reason);
}

import { approvalsNeeded } from '../domain';
import type { PolicyDecision } from '../domain';
import { ENGLISH_UTC } from '../i18n';
import type { Translator } from '../i18n';
import { quotaScope } from './policy-text';

/** A decision as plain text for a terminal (npm run policy:check), in `tr`'s language (default English, UTC). */
export function describeDecision(decision: PolicyDecision, source: string, tr: Translator = ENGLISH_UTC.translator()): string {
  const { action, risk } = decision;
  const lines = [tr.t('policy.describe.source', { source }), tr.t(decision.dryRun ? 'policy.describe.decisionDryRun' : 'policy.describe.decision', { action, risk })];
  if (decision.action === 'require_approval') {
    const who = decision.approvers;
    const anyone = tr.t('policy.describe.anyone');
    const ids = who?.ids === null ? anyone : (who?.ids.join(', ') ?? anyone);
    lines.push(tr.t('policy.describe.approvals', { n: approvalsNeeded(decision), roles: who ? new Intl.ListFormat(tr.language, { type: 'disjunction' }).format(who.roles) : anyone, ids }));
    if (who?.requester) lines.push(tr.t('policy.describe.requester', { who: who.requester }));
  }
  if (decision.quotas?.length) {
    const left = decision.quotas.map((q) => tr.t('policy.describe.quota', { left: q.left, limit: q.limit, scope: quotaScope(tr, q.scope) }));
    lines.push(tr.t('policy.describe.quotas', { quotas: left.join(', ') }));
  }
  const reasons = decision.reasons.map((reason) => `  - ${typeof reason === 'string' ? reason : reason[tr.language]}`);
  lines.push(tr.t('policy.describe.reasons'), ...reasons);
  return lines.join('\n');
}

import { approvalsNeeded } from '../domain';
import type { PolicyDecision } from '../domain';

/** A decision as plain text for a terminal (npm run policy:check). */
export function describeDecision(decision: PolicyDecision, source: string): string {
  const lines = [`Policy: ${source}`, `Decision: ${decision.action} (risk ${decision.risk})${decision.dryRun ? ' — dry run, nothing would run' : ''}`];
  if (decision.action === 'require_approval') {
    const who = decision.approvers;
    const ids = who?.ids === null ? 'anyone' : (who?.ids.join(', ') ?? 'anyone');
    lines.push(`Approvals: ${approvalsNeeded(decision)} from ${who?.roles.join(' or ') ?? 'anyone'} (people: ${ids})`);
    if (who?.requester) lines.push(`Requester (not the only approver): ${who.requester}`);
  }
  if (decision.quotas?.length) {
    lines.push(`Automatic runs left this hour: ${decision.quotas.map((q) => `${q.left} of ${q.limit} (${q.scope})`).join(', ')}`);
  }
  lines.push('Reasons:', ...decision.reasons.map((reason) => `  - ${reason}`));
  return lines.join('\n');
}

import type { IncidentContext } from '../domain';
import type { DecisionAccess } from '../policy/access';
import type { PolicyText } from '../policy/policy-text';

/**
 * A low-risk fix awaiting approval: silencing needs the same trust as approving the least risky fix, so
 * the policy's own check answers who may silence. A rejection reads only `decision` and `approvals`,
 * so this partial context is enough (hence the cast).
 */
const LOW_RISK_FIX = {
  decision: { action: 'require_approval', risk: 'low', reasons: [], approvalsRequired: 1 },
  approvals: {},
} satisfies Pick<IncidentContext, 'decision' | 'approvals'>;

/** Why `who` may not create or expire silences, or null. No access configured: anyone may (tests, a lone operator). */
export function silenceRefusal(access: DecisionAccess | undefined, who: string): PolicyText | null {
  if (!access) return null;
  const verdict = access.check(who, 'proposal.rejected', LOW_RISK_FIX as unknown as IncidentContext);
  return verdict.allowed ? null : { ...verdict.reason, key: 'policy.refuse.silence' };
}

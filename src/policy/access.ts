import { approvalCounts, approvalsNeeded } from '../domain';
import type { IncidentContext, IncidentEvent } from '../domain';
import { onCallReport } from './oncall';
import type { RoleOnCall } from './oncall';
import { holdsAny, rolesOf } from './policy-rules';
import type { DecisionKind, PolicyRules } from './policy-rules';
import { levelOf } from './risk';

export type PersonEventType = Extract<IncidentEvent, { by: unknown }>['type'];
export type Verdict = { allowed: true } | { allowed: false; reason: string };

/** Who may decide what: the one check behind Lark clicks, Lark commands and the console. */
export interface DecisionAccess {
  check(who: string, type: PersonEventType, context: IncidentContext): Verdict;
  /** Who is on call to decide, per role, at `at` (/oncall); unset where no policy is loaded. */
  onCall?(at: Date): RoleOnCall[];
}

const ALLOWED: Verdict = { allowed: true };

const KIND: Record<Exclude<PersonEventType, 'proposal.approved' | 'proposal.rejected'>, { kind: DecisionKind; what: string }> = {
  'diagnosis.approved': { kind: 'diagnosis', what: 'decide on a diagnosis' },
  'diagnosis.rejected': { kind: 'diagnosis', what: 'decide on a diagnosis' },
  'incident.escalate': { kind: 'escalate', what: 'escalate' },
  'incident.ignore': { kind: 'ignore', what: 'dismiss an incident' },
  'incident.retry': { kind: 'retry', what: 'retry an incident' },
  'incident.resolve': { kind: 'resolve', what: 'mark an incident resolved' },
};

function held(rules: PolicyRules, who: string): string {
  const roles = rolesOf(rules, who);
  return roles.length ? `you hold ${roles.join(', ')}` : 'you hold no role';
}

function needsRoles(rules: PolicyRules, who: string, roles: string[], what: string): Verdict {
  if (holdsAny(rules, who, roles)) return ALLOWED;
  const need = roles.length ? roles.join(' or ') : 'a role nobody holds';
  return { allowed: false, reason: `Only people holding ${need} may ${what} (${held(rules, who)}). Ask one of them, or escalate.` };
}

/** Approving or rejecting a fix: the roles its risk names; an approval also counts each person once. */
function fixVerdict(rules: PolicyRules, who: string, type: PersonEventType, context: IncidentContext): Verdict {
  const decision = context.decision;
  // Nothing waits for approval: the runtime refuses the event and says what the incident accepts.
  if (decision?.action !== 'require_approval') return ALLOWED;
  const roles = rules.approvers[levelOf(decision.risk)];
  const verdict = needsRoles(rules, who, roles, `decide on a ${decision.risk}-risk fix`);
  if (!verdict.allowed || type !== 'proposal.approved') return verdict;
  const soFar = (context.approvals.proposalApprovers ?? []).map((a) => a.by.id);
  if (soFar.includes(who)) {
    const more = Math.max(1, approvalsNeeded(decision) - soFar.length);
    return { allowed: false, reason: `You already approved this fix; it needs ${more} more approval(s) from other people.` };
  }
  if (!approvalCounts(decision, soFar, who)) {
    return { allowed: false, reason: `You did not hold ${roles.join(' or ')} when the policy decided on this fix; ask someone who did.` };
  }
  return ALLOWED;
}

export function checkDecision(rules: PolicyRules, who: string, type: PersonEventType, context: IncidentContext): Verdict {
  if (type === 'proposal.approved' || type === 'proposal.rejected') return fixVerdict(rules, who, type, context);
  const { kind, what } = KIND[type];
  return needsRoles(rules, who, rules.decide[kind], what);
}

/** Checks against the policy in force at the moment of asking. */
export function accessFrom(rules: () => PolicyRules): DecisionAccess {
  return { check: (who, type, context) => checkDecision(rules(), who, type, context), onCall: (at) => onCallReport(rules().oncall, at) };
}

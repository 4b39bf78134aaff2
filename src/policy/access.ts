import { approvalCounts, approvalsNeeded } from '../domain';
import type { IncidentContext, IncidentEvent } from '../domain';
import { onCallReport } from './oncall';
import type { RoleOnCall } from './oncall';
import { holdsAny, rolesOf } from './policy-rules';
import type { DecisionKind, PolicyRules } from './policy-rules';
import { levelOf } from './risk';
import { policySays } from './policy-text';
import type { PolicyText } from './policy-text';

export type PersonEventType = Extract<IncidentEvent, { by: unknown }>['type'];
/** A refusal says why as a policy message: each reader gets it in their language (policyText). */
export type Verdict = { allowed: true } | { allowed: false; reason: PolicyText };

/** Who may decide what: the one check behind Lark clicks, Lark commands and the console. */
export interface DecisionAccess {
  check(who: string, type: PersonEventType, context: IncidentContext): Verdict;
  /** Who is on call to decide, per role, at `at` (/oncall); unset where no policy is loaded. */
  onCall?(at: Date): RoleOnCall[];
}

const ALLOWED: Verdict = { allowed: true };

/** What a person decides by each event, as the refusal message names it (`{action, select, …}`). */
const KIND: Record<Exclude<PersonEventType, 'proposal.approved' | 'proposal.rejected'>, DecisionKind> = {
  'diagnosis.approved': 'diagnosis',
  'diagnosis.rejected': 'diagnosis',
  'incident.escalate': 'escalate',
  'incident.ignore': 'ignore',
  'incident.retry': 'retry',
  'incident.resolve': 'resolve',
  'incident.rollback': 'rollback',
};

function needsRoles(rules: PolicyRules, who: string, roles: string[], action: DecisionKind | 'fix', risk = ''): Verdict {
  if (holdsAny(rules, who, roles)) return ALLOWED;
  const held = rolesOf(rules, who);
  const values = { roleCount: roles.length, action, risk, held: held.join(', '), heldCount: held.length };
  return { allowed: false, reason: policySays('policy.refuse.roles', values, { roles }) };
}

/** Approving or rejecting a fix: the roles its risk names; an approval also counts each person once. */
function fixVerdict(rules: PolicyRules, who: string, type: PersonEventType, context: IncidentContext): Verdict {
  const decision = context.decision;
  // Nothing waits for approval: the runtime refuses the event and says what the incident accepts.
  if (decision?.action !== 'require_approval') return ALLOWED;
  const roles = rules.approvers[levelOf(decision.risk)];
  const verdict = needsRoles(rules, who, roles, 'fix', decision.risk);
  if (!verdict.allowed || type !== 'proposal.approved') return verdict;
  const soFar = (context.approvals.proposalApprovers ?? []).map((a) => a.by.id);
  if (soFar.includes(who)) {
    const more = Math.max(1, approvalsNeeded(decision) - soFar.length);
    return { allowed: false, reason: policySays('policy.refuse.alreadyApproved', { more }) };
  }
  if (!approvalCounts(decision, soFar, who)) {
    return { allowed: false, reason: policySays('policy.refuse.notHeldThen', undefined, { roles }) };
  }
  return ALLOWED;
}

export function checkDecision(rules: PolicyRules, who: string, type: PersonEventType, context: IncidentContext): Verdict {
  if (type === 'proposal.approved' || type === 'proposal.rejected') return fixVerdict(rules, who, type, context);
  const kind = KIND[type];
  return needsRoles(rules, who, rules.decide[kind], kind);
}

/** Checks against the policy in force at the moment of asking. */
export function accessFrom(rules: () => PolicyRules): DecisionAccess {
  return { check: (who, type, context) => checkDecision(rules(), who, type, context), onCall: (at) => onCallReport(rules().oncall, at) };
}

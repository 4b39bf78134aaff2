import { URGENT_CHANNELS } from '../domain';
import type { PolicyDecision, Severity, UrgentChannel } from '../domain';
import { memberOf, onCallFor } from './oncall';
import type { OnCallMember } from './oncall';
import { holders } from './policy-rules';
import type { PolicyRules } from './policy-rules';
import { levelOf } from './risk';

/** Whom the cards @-mention and who gets Lark's urgent notification, by the policy in force. */


/** People (open ids) on call now for any of `roles`; groups cannot be mentioned in a card or sent urgent. */
export function onCallPeople(rules: PolicyRules, roles: readonly string[], at: Date): string[] {
  return onCallFor(rules.oncall, roles, at)
    .filter((member) => member.kind === 'person')
    .map((member) => member.id);
}

/** Who a card asking `roles` to decide mentions, by the policy's `oncall.mention`. */
export function deciderMentions(rules: PolicyRules, roles: readonly string[], at: Date): string[] {
  switch (rules.oncall.mention) {
    case 'none':
      return [];
    case 'approvers':
      // Anyone may decide: mentioning "everyone" would ping the whole chat, so nobody is.
      return holders(rules, roles) ?? [];
    case 'oncall':
      return onCallPeople(rules, roles, at);
  }
}

export function diagnosisDeciders(rules: PolicyRules): string[] {
  return rules.decide.diagnosis;
}

/** The roles the decision named when it was made; the policy's roles for its risk otherwise. */
export function proposalDeciders(rules: PolicyRules, decision: PolicyDecision): string[] {
  return decision.approvers?.roles ?? rules.approvers[levelOf(decision.risk)];
}

/** An escalated incident waits on whoever may retry, resolve or dismiss it. */
export function escalationDeciders(rules: PolicyRules): string[] {
  return [...new Set([...rules.decide.retry, ...rules.decide.resolve, ...rules.decide.ignore])];
}

/** Who an ESCALATION_CHAIN level reaches now: a group (`oc_…`) or person (`ou_…`) id as given; a role, its on-call. */
export function chainLevelMembers(rules: PolicyRules, to: string, at: Date): OnCallMember[] {
  if (to.startsWith('oc_') || to.startsWith('ou_')) return [memberOf(to)];
  return onCallFor(rules.oncall, [to], at);
}

/** The urgent channels an escalation of this severity goes out on (none: no urgent at all). */
export function urgentChannels(rules: PolicyRules, severity: Severity): UrgentChannel[] {
  return URGENT_CHANNELS.filter((channel) => rules.oncall.urgent[channel].includes(severity));
}

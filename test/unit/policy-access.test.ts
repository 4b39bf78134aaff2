import { describe, expect, it } from 'vitest';
import type { IncidentContext, PolicyDecision } from '../../src/domain';
import { checkDecision } from '../../src/policy/access';
import type { PersonEventType } from '../../src/policy/access';
import { builtinPolicy, parsePolicy } from '../../src/policy/policy-rules';
import { incidentContext } from '../support/incident-context';
import { policyText } from '../../src/policy/policy-text';
import { ENGLISH_UTC, I18n } from '../../src/i18n';

const rules = parsePolicy(
  {
    roles: { admin: ['ou_admin', 'ou_admin2'], operator: ['ou_op'], viewer: ['ou_viewer'] },
    approvers: { high: ['admin'], critical: ['admin'] },
  },
  'test',
);

function waitingOn(risk: PolicyDecision['risk'], approvers: string[] = [], decided?: Partial<PolicyDecision>): IncidentContext {
  const decision: PolicyDecision = {
    action: 'require_approval',
    risk,
    reasons: [],
    approvalsRequired: risk === 'critical' ? 2 : 1,
    approvers: { roles: risk === 'high' || risk === 'critical' ? ['admin'] : ['operator', 'admin'], ids: ['ou_admin', 'ou_admin2', 'ou_op'] },
    ...decided,
  };
  const proposalApprovers = approvers.map((id) => ({ by: { id }, source: { kind: 'command' as const }, at: '2026-01-01T00:00:00Z' }));
  return incidentContext({ decision, approvals: { proposalApprovers } });
}

describe('who may decide what', () => {
  it.each<[string, PersonEventType, IncidentContext, string, boolean | RegExp]>([
    ['an operator approves a diagnosis', 'diagnosis.approved', incidentContext(), 'ou_op', true],
    ['a viewer may not', 'diagnosis.approved', incidentContext(), 'ou_viewer', /Only people holding operator or admin may decide on a diagnosis \(you hold viewer\)/],
    ['a stranger may not reject one', 'diagnosis.rejected', incidentContext(), 'ou_who', /you hold no role/],
    ['anyone may escalate', 'incident.escalate', incidentContext(), 'ou_who', true],
    ['a viewer may not retry', 'incident.retry', incidentContext(), 'ou_viewer', /may retry an incident/],
    ['an operator may resolve', 'incident.resolve', incidentContext(), 'ou_op', true],
    ['an operator may dismiss one', 'incident.ignore', incidentContext(), 'ou_op', true],
    ['an operator approves a medium fix', 'proposal.approved', waitingOn('medium'), 'ou_op', true],
    ['an operator may not approve a high fix', 'proposal.approved', waitingOn('high'), 'ou_op', /may decide on a high-risk fix \(you hold operator\)/],
    ['nor reject one', 'proposal.rejected', waitingOn('high'), 'ou_op', /high-risk fix/],
    ['an admin approves a critical fix', 'proposal.approved', waitingOn('critical'), 'ou_admin', true],
    ['but only once', 'proposal.approved', waitingOn('critical', ['ou_admin']), 'ou_admin', /You already approved this fix; it needs 1 more approval from other people/],
    ['a second admin may', 'proposal.approved', waitingOn('critical', ['ou_admin']), 'ou_admin2', true],
    [
      'someone made admin after the decision may not approve it',
      'proposal.approved',
      waitingOn('high', [], { approvers: { roles: ['admin'], ids: ['ou_admin2'] } }),
      'ou_admin',
      /did not hold admin when the policy decided/,
    ],
    ['with nothing awaiting approval, the runtime answers', 'proposal.approved', incidentContext(), 'ou_viewer', true],
  ])('%s', (_name, type, context, who, expected) => {
    const verdict = checkDecision(rules, who, type, context);
    if (expected === true) expect(verdict).toEqual({ allowed: true });
    else {
      expect(verdict.allowed).toBe(false);
      if (!verdict.allowed && expected instanceof RegExp) expect(policyText(ENGLISH_UTC.translator(), verdict.reason)).toMatch(expected);
    }
  });

  it('says why in Chinese too, with the roles as alternatives', () => {
    const verdict = checkDecision(rules, 'ou_viewer', 'diagnosis.approved', incidentContext());
    if (verdict.allowed) throw new Error('a viewer may not decide');
    const chinese = policyText(new I18n('zh-CN', 'Asia/Shanghai').translator(), verdict.reason);
    expect(chinese).toBe('只有持有 operator或admin 角色的人才能确认或驳回诊断（你的角色：viewer）。请联系他们，或升级处理。');
  });

  it('with the built-in policy and no APPROVER_IDS, anyone decides as before', () => {
    const open = builtinPolicy({ autoExecuteLowRisk: true, approverIds: [], dryRun: false });
    for (const type of ['diagnosis.approved', 'incident.retry', 'proposal.approved'] as const) {
      expect(checkDecision(open, 'console-operator', type, waitingOn('critical', [], { approvers: { roles: ['operator', 'admin'], ids: null } }))).toEqual({ allowed: true });
    }
  });
});

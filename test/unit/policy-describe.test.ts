import { describe, expect, it } from 'vitest';
import { describeDecision } from '../../src/policy/describe-decision';

describe('npm run policy:check output', () => {
  it('prints the decision, who approves, quotas and every reason', () => {
    const text = describeDecision(
      {
        action: 'require_approval',
        risk: 'high',
        reasons: ['Risk high: …', 'Only low risk and below runs by itself.'],
        approvalsRequired: 1,
        approvers: { roles: ['admin'], ids: ['ou_a', 'ou_b'], requester: 'ou_a' },
        quotas: [{ scope: 'all services', limit: 10, left: 9 }],
        dryRun: true,
      },
      'policy/example.yaml',
    );
    expect(text).toBe(
      [
        'Policy: policy/example.yaml',
        'Decision: require_approval (risk high) — dry run, nothing would run',
        'Approvals: 1 from admin (people: ou_a, ou_b)',
        'Requester (not the only approver): ou_a',
        'Automatic runs left this hour: 9 of 10 (all services)',
        'Reasons:',
        '  - Risk high: …',
        '  - Only low risk and below runs by itself.',
      ].join('\n'),
    );
  });

  it('says anyone when everyone holds the role, and leaves out what does not apply', () => {
    expect(describeDecision({ action: 'require_approval', risk: 'critical', reasons: [], approvalsRequired: 0, approvers: { roles: ['operator'], ids: null } }, 'built-in')).toContain(
      'Approvals: 2 from operator (people: anyone)',
    );
    expect(describeDecision({ action: 'escalate', risk: 'high', reasons: ['x.y is blocked by policy.'], approvalsRequired: 0 }, 'built-in')).toBe(
      'Policy: built-in\nDecision: escalate (risk high)\nReasons:\n  - x.y is blocked by policy.',
    );
  });
});

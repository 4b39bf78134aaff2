import { describe, expect, it } from 'vitest';
import type { PolicyDecision } from '../../src/domain';
import { decide } from '../../src/policy/decide';
import type { DecideInput } from '../../src/policy/decide';
import { decideInput, NOON, step } from '../support/policy-fixtures';
import { policySays, quotaScope } from '../../src/policy/policy-text';
import { ENGLISH_UTC, I18n } from '../../src/i18n';

type Expected = Partial<Pick<PolicyDecision, 'action' | 'risk' | 'approvalsRequired' | 'dryRun'>> & { reason?: RegExp };

function check(input: DecideInput, expected: Expected): PolicyDecision {
  const decision = decide(input);
  const { reason, ...fields } = expected;
  expect(decision).toMatchObject(fields);
  if (reason) expect(english(decision)).toMatch(reason);
  return decision;
}

/** The decision's reasons as English reads them. */
const english = (d: PolicyDecision): string => d.reasons.map((r) => (typeof r === 'string' ? r : r.en)).join('\n');

const MIN = 60_000;

describe('risk: the highest of declared, assessed, fenced and claimed; never lowered', () => {
  it.each<[string, DecideInput, Expected]>([
    ['declared low, claim low', decideInput(), { risk: 'low', action: 'auto_execute' }],
    ['the claim raises risk', decideInput({ claim: 'high' }), { risk: 'high', action: 'require_approval' }],
    ['a low claim cannot lower a declared medium', decideInput({ steps: [step({ declared: 'medium' })] }), { risk: 'medium', action: 'require_approval' }],
    ['read-only claim on a low step is low', decideInput({ claim: 'read-only' }), { risk: 'low', action: 'auto_execute' }],
    [
      "the plugin's own assessment raises it",
      decideInput({ steps: [step({ assessed: { risk: 'high', reason: 'action restart is configured as high risk' } })] }),
      { risk: 'high', action: 'require_approval', reason: /http\.call: action restart is configured as high risk \(high risk\)/ },
    ],
    [
      'an assessment below the declared risk changes nothing',
      decideInput({ steps: [step({ declared: 'medium', assessed: { risk: 'low', reason: 'small' } })] }),
      { risk: 'medium' },
    ],
    ['the riskiest step counts', decideInput({ steps: [step(), step({ declared: 'critical' })] }), { risk: 'critical', approvalsRequired: 2 }],
  ])('%s', (_name, input, expected) => {
    check(input, expected);
  });
});

describe('automatic execution', () => {
  it.each<[string, DecideInput, Expected]>([
    ['low runs by itself by default', decideInput(), { action: 'auto_execute', approvalsRequired: 0, reason: /Runs without asking/ }],
    ['medium asks by default', decideInput({ claim: 'medium' }), { action: 'require_approval', approvalsRequired: 1, reason: /Only low risk and below/ }],
    ['upTo none turns it off', decideInput({ policy: { autoExecute: { upTo: 'none' } } }), { action: 'require_approval', reason: /Automatic execution is off/ }],
    ['upTo high lets high run', decideInput({ policy: { autoExecute: { upTo: 'high' } }, claim: 'high' }), { action: 'auto_execute', risk: 'high' }],
    ['critical never runs by itself, even under upTo high', decideInput({ policy: { autoExecute: { upTo: 'high' } }, claim: 'critical' }), { action: 'require_approval', approvalsRequired: 2, reason: /Critical changes never run by themselves/ }],
  ])('%s', (_name, input, expected) => {
    check(input, expected);
  });
});

describe('fences', () => {
  it.each<[string, DecideInput, Expected]>([
    ['a blocked plugin escalates', decideInput({ policy: { fences: { blockedPlugins: ['http.call'] } } }), { action: 'escalate', reason: /http\.call is blocked by policy/ }],
    ['a step that cannot run escalates', decideInput({ steps: [step({ problem: policySays('policy.reason.unknownPlugin', { plugin: 'nope.nope' }) })] }), { action: 'escalate', reason: /Unknown plugin/ }],
    ['a verification that is no diagnostic escalates', decideInput({ verificationProblems: [policySays('policy.reason.badVerification', { plugin: 'x.y' })] }), { action: 'escalate' }],
    [
      'an argument inside its bound passes',
      decideInput({ policy: { fences: { bounds: { 'redis.delete_keys': { limit: { max: 100 } } } } }, steps: [step({ pluginId: 'redis.delete_keys', args: { target: 'cache', limit: 100 } })] }),
      { action: 'auto_execute' },
    ],
    [
      'an argument over its bound escalates by default',
      decideInput({ policy: { fences: { bounds: { 'redis.delete_keys': { limit: { max: 100 } } } } }, steps: [step({ pluginId: 'redis.delete_keys', args: { target: 'cache', limit: 101 } })] }),
      { action: 'escalate', reason: /redis\.delete_keys: limit 101 is outside its bound \(at most 100\); not allowed/ },
    ],
    [
      'a bound may raise risk instead',
      decideInput({ policy: { fences: { bounds: { 'postgres.terminate_backends': { limit: { max: 20, over: 'high' } } } } }, steps: [step({ pluginId: 'postgres.terminate_backends', args: { target: 'db', limit: 50 } })] }),
      { action: 'require_approval', risk: 'high', reason: /counted as high risk/ },
    ],
    [
      'a list argument is bounded by its length',
      decideInput({ policy: { fences: { bounds: { 'postgres.terminate_backends': { pids: { max: 2 } } } } }, steps: [step({ pluginId: 'postgres.terminate_backends', args: { target: 'db', pids: [1, 2, 3] } })] }),
      { action: 'escalate', reason: /pids 3 is outside/ },
    ],
    [
      "a measure the plugin reports is bounded (replicas change)",
      decideInput({
        policy: { fences: { bounds: { 'kubernetes.scale': { replicasChange: { max: 2, over: 'high' } } } } },
        steps: [step({ pluginId: 'kubernetes.scale', declared: 'medium', args: { target: 'prod', replicas: 9 }, assessed: { risk: 'medium', reason: 'scales 5 → 9', measures: { replicasChange: 4 } } })],
      }),
      { risk: 'high', reason: /replicasChange 4 is outside its bound/ },
    ],
    [
      'an unmeasurable bound counts as broken',
      decideInput({ policy: { fences: { bounds: { 'kubernetes.scale': { replicasChange: { max: 2 } } } } }, steps: [step({ pluginId: 'kubernetes.scale', args: { target: 'prod', replicas: 1 } })] }),
      { action: 'escalate', reason: /replicasChange is unknown/ },
    ],
    [
      'a target outside the low scope counts as the next level that admits it',
      decideInput({ policy: { fences: { scopes: { low: { targets: ['cart'] } } } } }),
      { risk: 'medium', action: 'require_approval', reason: /outside the low-risk scope; counted as medium risk/ },
    ],
    [
      'outside every scope escalates',
      decideInput({ policy: { fences: { scopes: { low: { services: ['cart'] }, medium: { services: ['cart'] }, high: { services: ['cart'] }, critical: { services: ['cart'] } } } } }),
      { action: 'escalate', reason: /outside the scope of every risk level/ },
    ],
    [
      'a namespace list does not apply to a step without a namespace',
      decideInput({ policy: { fences: { scopes: { low: { namespaces: ['shop'] } } } } }),
      { action: 'auto_execute' },
    ],
    [
      'a step in another namespace is raised',
      decideInput({ policy: { fences: { scopes: { low: { namespaces: ['shop'] } } } }, steps: [step({ args: { target: 'prod', namespace: 'kube-system' } })] }),
      { risk: 'medium', reason: /namespace kube-system/ },
    ],
    [
      'an unknown service is outside a services list',
      decideInput({ policy: { fences: { scopes: { low: { services: ['checkout'] } } } }, service: undefined }),
      { risk: 'medium' },
    ],
  ])('%s', (_name, input, expected) => {
    check(input, expected);
  });

  const weekend = { name: 'weekend', cron: '0 18 * * fri', duration: '62h', timezone: 'Europe/Berlin' };
  it.each<[string, DecideInput, Expected]>([
    ['inside a cron freeze nothing runs by itself', decideInput({ policy: { freezes: [weekend] }, now: new Date('2026-11-28T10:00:00Z') }), { action: 'require_approval', reason: /Change freeze "weekend" until Nov 30, 07:00/ }],
    ['outside it, it does', decideInput({ policy: { freezes: [weekend] }, now: new Date('2026-11-30T07:00:00Z') }), { action: 'auto_execute' }],
    ['a fixed freeze', decideInput({ policy: { freezes: [{ name: 'release', from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z' }] } }), { action: 'require_approval', reason: /"release"/ }],
    ['too many automatic steps for the incident', decideInput({ usage: { perHour: 0, servicePerHour: 0, incidentSteps: 3, cooldowns: [] } }), { action: 'require_approval', reason: /already ran 3 automatic steps; at most 3/ }],
    ['a proposal with more steps than allowed', decideInput({ policy: { autoExecute: { maxStepsPerIncident: 1 } }, steps: [step(), step()] }), { action: 'require_approval' }],
    ['a target cooling down', decideInput({ usage: { perHour: 0, incidentSteps: 0, cooldowns: [{ target: 'checkout', at: NOON.getTime() - 3 * MIN }] } }), { action: 'require_approval', reason: /checkout had an automatic action at Nov 25, 11:57; it cools down until Nov 25, 12:07/ }],
    ['the hourly quota used up', decideInput({ usage: { perHour: 10, servicePerHour: 0, incidentSteps: 0, cooldowns: [] } }), { action: 'require_approval', reason: /10 of 10 used \(all services\)/ }],
    ["the service's quota used up", decideInput({ usage: { perHour: 4, servicePerHour: 3, incidentSteps: 0, cooldowns: [] } }), { action: 'require_approval', reason: /for checkout: 3 of 3 used/ }],
    ['another instance won the race for the quota', decideInput({ lostRace: policySays('policy.reason.lostRace', { quotas: 'auto:all' }) }), { action: 'require_approval', reason: /Another instance/ }],
  ])('%s', (_name, input, expected) => {
    check(input, expected);
  });

  it('shows the quota left after this run, globally and for the service', () => {
    const auto = decide(decideInput({ usage: { perHour: 4, servicePerHour: 1, incidentSteps: 0, cooldowns: [] } }));
    expect(auto.quotas).toEqual([
      { scope: 'all', limit: 10, left: 5 },
      { scope: 'service:checkout', limit: 3, left: 1 },
    ]);
    expect(auto.quotas?.map((q) => quotaScope(ENGLISH_UTC.translator(), q.scope))).toEqual(['all services', 'service checkout']);
    const asking = decide(decideInput({ claim: 'medium', usage: { perHour: 4, servicePerHour: 1, incidentSteps: 0, cooldowns: [] } }));
    expect(asking.quotas?.[0]).toEqual({ scope: 'all', limit: 10, left: 6 });
  });
});

describe('dry run', () => {
  it.each<[string, DecideInput, Expected]>([
    ['globally', decideInput({ policy: { dryRun: true } }), { action: 'auto_execute', dryRun: true, reason: /Dry run: evaluated and planned; nothing will run/ }],
    ['for one plugin', decideInput({ policy: { plugins: { 'http.call': { dryRun: true } } } }), { dryRun: true }],
    ['not for another plugin', decideInput({ policy: { plugins: { 'shell.run': { dryRun: true } } } }), { dryRun: false }],
    ['kept on an approval', decideInput({ policy: { dryRun: true }, claim: 'high' }), { action: 'require_approval', dryRun: true }],
  ])('%s', (_name, input, expected) => {
    check(input, expected);
  });
});

describe('who may approve', () => {
  const roles = { admin: ['ou_admin'], operator: ['ou_op1', 'ou_op2'] };
  it.each<[string, DecideInput, Expected & { approvers?: unknown }]>([
    ['the roles of the risk level, and who holds them', decideInput({ policy: { roles, approvers: { high: ['admin'] } }, claim: 'high' }), { approvalsRequired: 1, approvers: { roles: ['admin'], ids: ['ou_admin'] } }],
    ['anyone when everyone holds the role', decideInput({ policy: { everyone: 'operator' }, claim: 'medium' }), { approvers: { roles: ['operator', 'admin'], ids: null } }],
    ['critical needs two distinct people', decideInput({ policy: { roles }, claim: 'critical' }), { approvalsRequired: 2, reason: /Needs 2 approvals from distinct people/ }],
    ['more when configured', decideInput({ policy: { roles, approvalsRequired: { medium: 2 } }, claim: 'medium' }), { approvalsRequired: 2 }],
    ['the requester is named at high risk', decideInput({ policy: { roles }, claim: 'high', requestedBy: 'ou_op1' }), { approvers: { requester: 'ou_op1' }, reason: /ou_op1 brought this alert in/ }],
    ['but not below high', decideInput({ policy: { roles }, claim: 'medium', requestedBy: 'ou_op1' }), { approvers: { roles: ['operator', 'admin'], ids: ['ou_admin', 'ou_op1', 'ou_op2'] } }],
    ['nobody holding the roles escalates at once', decideInput({ policy: { approvers: { medium: ['admin'] } }, claim: 'medium' }), { action: 'escalate', reason: /Nobody else holds admin/ }],
    ['fewer holders than approvals needed escalates', decideInput({ policy: { roles: { admin: ['ou_admin'] }, approvers: { critical: ['admin'] } }, claim: 'critical' }), { action: 'escalate', reason: /Only 1 person holds admin; 2 are needed/ }],
    ['a requester who is the only holder escalates', decideInput({ policy: { roles: { admin: ['ou_admin'] }, approvers: { high: ['admin'] } }, claim: 'high', requestedBy: 'ou_admin' }), { action: 'escalate', reason: /Nobody else holds admin/ }],
  ])('%s', (_name, input, expected) => {
    const { approvers, ...rest } = expected;
    const decision = check(input, rest);
    if (approvers) expect(decision.approvers).toMatchObject(approvers);
  });
});

describe('reasons in every language', () => {
  it('writes each reason in Chinese and English when it decides, times in TIMEZONE', () => {
    const shanghai = new I18n('zh-CN', 'Asia/Shanghai');
    const input = decideInput({ policy: { freezes: [{ name: 'release', from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z' }] }, i18n: shanghai });
    const reasons = decide(input).reasons.filter((r): r is { en: string; 'zh-CN': string } => typeof r !== 'string');
    expect(reasons).toHaveLength(decide(input).reasons.length);
    expect(reasons.map((r) => r['zh-CN'])).toContain('变更冻结“release”持续到 11月26日 08:00：期间不会自动执行任何修复。');
    expect(reasons.map((r) => r.en)).toContain('Change freeze "release" until Nov 26, 08:00: nothing runs by itself.');
  });
});

describe('rules combined', () => {
  it('lists every reason that stops an automatic run', () => {
    const input = decideInput({
      policy: { freezes: [{ name: 'now', from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z' }] },
      usage: { perHour: 10, servicePerHour: 3, incidentSteps: 3, cooldowns: [{ target: 'checkout', at: NOON.getTime() - MIN }] },
    });
    const text = english(decide(input));
    for (const reason of [/Change freeze/, /automatic step/, /cools down/, /all services/, /for checkout/]) expect(text).toMatch(reason);
  });

  it('a fence and a claim together: the higher wins, and a blocked plugin still escalates', () => {
    check(decideInput({ policy: { fences: { scopes: { low: { targets: ['x'] } } } }, claim: 'high' }), { risk: 'high' });
    check(decideInput({ policy: { fences: { blockedPlugins: ['http.call'] }, dryRun: true } }), { action: 'escalate', dryRun: true });
  });

  it('upTo medium with a step raised to high by its bound asks a person', () => {
    const input = decideInput({
      policy: { autoExecute: { upTo: 'medium' }, fences: { bounds: { 'redis.delete_keys': { limit: { max: 10, over: 'high' } } } } },
      steps: [step({ pluginId: 'redis.delete_keys', declared: 'medium', args: { target: 'cache', limit: 11 } })],
    });
    check(input, { action: 'require_approval', risk: 'high' });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import type { EventObject } from 'xstate';
import { incidentMachine } from '../../machines/incident.machine';
import { approvalsNeeded, RISKS } from '../../src/domain';
import type { IncidentEvent, PolicyDecision, Risk } from '../../src/domain';
import { checkDecision } from '../../src/policy/access';
import { decide } from '../../src/policy/decide';
import { holdsAny, parsePolicy } from '../../src/policy/policy-rules';
import type { PolicyRules } from '../../src/policy/policy-rules';
import { levelOf } from '../../src/policy/risk';
import type { StepFacts } from '../../src/policy/risk';
import { policySays } from '../../src/policy/policy-text';
import { incidentContext } from '../support/incident-context';
import { NOON, proposal } from '../support/policy-fixtures';

/**
 * Whatever the policy file, the proposal, the usage and the people clicking: a critical fix never runs
 * by itself, and a fix never runs on the approval of someone the policy does not let approve it.
 */

const PEOPLE = ['ou_1', 'ou_2', 'ou_3', 'ou_4', 'ou_5'];
const STRANGERS = ['ou_stranger', 'console-operator'];
const ROLE_NAMES = ['viewer', 'operator', 'admin'] as const;
const rank = (risk: Risk) => RISKS.indexOf(risk);

const roleList = fc.subarray([...ROLE_NAMES, '*'], { minLength: 1 });
const count = (min: number) => fc.option(fc.integer({ min, max: 3 }), { nil: undefined });
const policyFile = fc.record({
  dryRun: fc.boolean(),
  autoExecute: fc.record({
    upTo: fc.constantFrom('none', 'low', 'medium', 'high'),
    maxStepsPerIncident: fc.integer({ min: 0, max: 4 }),
    perHour: fc.integer({ min: 0, max: 4 }),
    perServicePerHour: fc.integer({ min: 0, max: 4 }),
  }),
  roles: fc.record({ viewer: fc.subarray(PEOPLE), operator: fc.subarray(PEOPLE), admin: fc.subarray(PEOPLE) }),
  everyone: fc.option(fc.constantFrom(...ROLE_NAMES), { nil: undefined }),
  approvers: fc.record({ low: roleList, medium: roleList, high: roleList, critical: roleList }, { requiredKeys: [] }),
  approvalsRequired: fc.record({ low: count(1), medium: count(1), high: count(1), critical: count(2) }),
  fences: fc.record({
    blockedPlugins: fc.subarray(['shell.run', 'redis.delete_keys']),
    scopes: fc.record({ low: fc.record({ targets: fc.subarray(['checkout', 'cart']) }) }, { requiredKeys: [] }),
    bounds: fc.constantFrom({}, { 'redis.delete_keys': { limit: { max: 50, over: 'high' } } }, { 'redis.delete_keys': { limit: { max: 50 } } }),
  }),
  freezes: fc.constantFrom([], [{ name: 'now', from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z' }]),
});
const anyRisk = fc.constantFrom(...RISKS);
const remediationRisk = fc.constantFrom<Risk>('low', 'medium', 'high', 'critical');
const stepFacts: fc.Arbitrary<StepFacts> = fc.record({
  pluginId: fc.constantFrom('http.call', 'shell.run', 'redis.delete_keys'),
  declared: remediationRisk,
  assessed: fc.option(fc.record({ risk: anyRisk, reason: fc.constant('assessed') }), { nil: undefined }),
  args: fc.record({ target: fc.constantFrom('checkout', 'cart', 'cache'), limit: fc.integer({ min: 1, max: 100 }) }),
  problem: fc.option(fc.constant(policySays('policy.reason.unknownPlugin', { plugin: 'x' })), { nil: undefined }),
});
const scenario = fc.record({
  file: policyFile,
  claim: anyRisk,
  steps: fc.array(stepFacts, { minLength: 1, maxLength: 3 }),
  requestedBy: fc.option(fc.constantFrom(...PEOPLE, ...STRANGERS), { nil: undefined }),
  usage: fc.record({ perHour: fc.nat(5), servicePerHour: fc.nat(5), incidentSteps: fc.nat(5), cooldowns: fc.constantFrom<{ target: string; at: number }[][]>([], [{ target: 'checkout', at: NOON.getTime() - 60_000 }]) }),
});

type ScenarioValue = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function decisionFor(s: ScenarioValue): { rules: PolicyRules; decision: PolicyDecision } {
  const rules = parsePolicy(s.file, 'property');
  const decision = decide({ rules, proposal: proposal(s.claim, s.steps.length), steps: s.steps, verificationProblems: [], service: 'checkout', requestedBy: s.requestedBy, now: NOON, usage: s.usage });
  return { rules, decision };
}

describe('no combination of rules and inputs', () => {
  it('lets a critical fix run by itself, lowers risk, or asks fewer than two people for critical', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { rules, decision } = decisionFor(s);
        expect(rank(decision.risk)).toBeGreaterThanOrEqual(rank(s.claim));
        for (const step of s.steps) {
          expect(rank(decision.risk)).toBeGreaterThanOrEqual(rank(step.declared));
          if (step.assessed) expect(rank(decision.risk)).toBeGreaterThanOrEqual(rank(step.assessed.risk));
        }
        if (decision.action === 'auto_execute') {
          expect(decision.risk).not.toBe('critical');
          expect(rules.autoExecute.upTo).not.toBe('none');
          expect(rank(decision.risk)).toBeLessThanOrEqual(rank(rules.autoExecute.upTo as Risk));
          expect(s.steps.every((step) => !step.problem && !rules.blockedPlugins.includes(step.pluginId))).toBe(true);
        }
        if (decision.action === 'require_approval') {
          expect(approvalsNeeded(decision)).toBeGreaterThanOrEqual(decision.risk === 'critical' ? 2 : 1);
          for (const id of decision.approvers?.ids ?? []) expect(holdsAny(rules, id, rules.approvers[levelOf(decision.risk)])).toBe(true);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('lets a critical decision reach execution from the chart, whatever it says', () => {
    const anyDecision = fc.record({ action: fc.constantFrom('auto_execute', 'require_approval', 'escalate'), approvalsRequired: fc.nat(3), dryRun: fc.boolean() });
    fc.assert(
      fc.property(anyDecision, (d) => {
        const decision: PolicyDecision = { ...d, risk: 'critical', reasons: [] };
        const start = incidentMachine.resolveState({ value: { open: 'evaluatingPolicy' }, context: incidentContext({ proposal: proposal('critical') }) });
        const [next] = transition(incidentMachine, start, { type: 'xstate.done.actor.evaluatePolicy', output: decision } as unknown as IncidentEvent);
        expect(next.matches('remediating')).toBe(false);
      }),
    );
  });

  const clicks = fc.array(
    fc.record({ who: fc.constantFrom(...PEOPLE, ...STRANGERS), checked: fc.boolean(), fromCard: fc.boolean() }),
    { minLength: 1, maxLength: 8 },
  );

  it('lets a non-approver approve, or lets a fix run before enough distinct permitted people approved', () => {
    let reached = 0;
    fc.assert(
      fc.property(scenario, clicks, (s, sequence) => {
        const { rules, decision } = decisionFor(s);
        fc.pre(decision.action === 'require_approval');
        const allowed = rules.approvers[levelOf(decision.risk)];
        const context = incidentContext({ proposal: proposal(s.claim, s.steps.length), decision, cards: { proposal: 'card-1' } });
        let snapshot = incidentMachine.resolveState({ value: { open: 'awaitingProposalApproval' }, context });
        for (const { who, checked, fromCard } of sequence) {
          if (snapshot.matches('remediating')) break;
          // The chat checks first (`checked`); any other door reaches the chart unchecked, and the chart must hold alone.
          const verdict = checkDecision(rules, who, 'proposal.approved', snapshot.context);
          if (verdict.allowed) expect(holdsAny(rules, who, allowed)).toBe(true);
          if (checked && !verdict.allowed) continue;
          const source = fromCard ? { kind: 'card' as const, messageId: 'card-1' } : { kind: 'command' as const };
          const before = snapshot.context.approvals.proposalApprovers?.length ?? 0;
          [snapshot] = transition(incidentMachine, snapshot, { type: 'proposal.approved', by: { id: who }, source } as EventObject as IncidentEvent);
          const after = snapshot.context.approvals.proposalApprovers?.length ?? 0;
          if (!holdsAny(rules, who, allowed)) expect(after).toBe(before);
        }
        const approvers = (snapshot.context.approvals.proposalApprovers ?? []).map((a) => a.by.id);
        for (const id of approvers) expect(holdsAny(rules, id, allowed)).toBe(true);
        expect(new Set(approvers).size).toBe(approvers.length);
        if (snapshot.matches('remediating')) {
          reached++;
          expect(approvers.length).toBeGreaterThanOrEqual(Math.max(decision.approvalsRequired, decision.risk === 'critical' ? 2 : 1));
          const requester = decision.approvers?.requester;
          if (requester && rank(decision.risk) >= rank('high')) expect(approvers.some((id) => id !== requester)).toBe(true);
        }
      }),
      { numRuns: 1_000 },
    );
    // The property is only worth something if approvals do get through.
    expect(reached).toBeGreaterThan(50);
  });
});

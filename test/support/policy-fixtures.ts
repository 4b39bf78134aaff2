import type { FixProposal, Risk } from '../../src/domain';
import type { DecideInput } from '../../src/policy/decide';
import { parsePolicy } from '../../src/policy/policy-rules';
import type { StepFacts } from '../../src/policy/risk';

/** Wednesday noon UTC: outside every freeze the tests do not put there on purpose. */
export const NOON = new Date('2026-11-25T12:00:00Z');

export function step(overrides: Partial<StepFacts> = {}): StepFacts {
  return { pluginId: 'http.call', declared: 'low', args: { target: 'checkout', action: 'restart' }, ...overrides };
}

export function proposal(riskClaim: Risk = 'low', steps = 1): FixProposal {
  return {
    summary: 'Restart checkout',
    rationale: 'It is unhealthy.',
    riskClaim,
    steps: Array.from({ length: steps }, () => ({ pluginId: 'http.call', args: { target: 'checkout', action: 'restart' }, summary: 'restart' })),
    verification: [{ pluginId: 'http.probe', args: { target: 'checkout' } }],
  };
}

/** A policy file's content; one that names no people makes everyone an operator, as the built-in policy does. */
function withPeople(policy: unknown): unknown {
  const file = (policy ?? {}) as Record<string, unknown>;
  return 'roles' in file || 'everyone' in file ? file : { ...file, everyone: 'operator' };
}

/** A decision's input: a policy file's content, one low-risk step, nothing used yet. */
export function decideInput(options: { policy?: unknown; claim?: Risk; steps?: StepFacts[] } & Partial<Omit<DecideInput, 'rules' | 'steps'>> = {}): DecideInput {
  const { policy, claim, steps, ...rest } = options;
  const facts = steps ?? [step()];
  return {
    rules: parsePolicy(withPeople(policy), 'test'),
    proposal: proposal(claim ?? 'low', facts.length),
    steps: facts,
    verificationProblems: [],
    service: 'checkout',
    now: NOON,
    usage: { perHour: 0, servicePerHour: 0, incidentSteps: 0, cooldowns: [] },
    ...rest,
  };
}

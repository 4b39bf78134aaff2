import type { Diagnosis, ExecutionOutcome, PolicyDecision, ProposalOutcome, VerificationOutcome } from '../src/domain';

/**
 * What the LLM, plugins and policy would answer, sized like real answers (evidence, plan, checks) so
 * the snapshots the runtime persists weigh what they weigh in production.
 */
export const DIAGNOSIS: Diagnosis = {
  summary: 'checkout returns 503: its upstream connection pool is exhausted',
  rootCause: 'Connections to the payments database are held by idle-in-transaction sessions left by a stuck batch job.',
  category: 'database-connections',
  severity: 'high',
  affectedService: 'checkout',
  confidence: 0.82,
  evidence: [
    { source: 'http.probe', summary: 'GET /health answered 503 in 12 ms (3 of 3 probes).', status: 'success' },
    { source: 'postgres.activity', summary: '97 of 100 connections idle in transaction for more than 10 minutes.', status: 'success' },
    { source: 'logs.search', summary: '1,204 "timeout acquiring connection" lines in the last 15 minutes.', status: 'success' },
  ],
};

export const PROPOSAL: ProposalOutcome = {
  fixable: true,
  proposal: {
    summary: 'Terminate the idle-in-transaction sessions, then restart checkout.',
    rationale: 'The sessions hold every connection; checkout recovers once the pool is free.',
    riskClaim: 'medium',
    steps: [
      { pluginId: 'postgres.terminate-idle', args: { target: 'payments', olderThanMinutes: 10 }, summary: 'Terminate idle sessions', plan: 'Would terminate 97 sessions.' },
      { pluginId: 'http.action', args: { target: 'checkout', action: 'restart' }, summary: 'Restart checkout', plan: 'POST /admin/restart' },
    ],
    verification: [{ pluginId: 'http.probe', args: { target: 'checkout' }, expect: [{ path: 'failures', atMost: 0 }] }],
  },
};

export const DECISION: PolicyDecision = {
  action: 'require_approval',
  risk: 'medium',
  reasons: ['postgres.terminate-idle is medium risk', 'a person must approve medium-risk fixes'],
  approvalsRequired: 1,
};

export const EXECUTION: ExecutionOutcome = {
  succeeded: true,
  steps: [
    { pluginId: 'postgres.terminate-idle', idempotencyKey: 'k/1/execute-0', status: 'success', summary: 'Terminated 97 sessions.', elapsedMs: 0, recovered: false },
    { pluginId: 'http.action', idempotencyKey: 'k/1/execute-1', status: 'success', summary: 'Restart accepted.', elapsedMs: 0, recovered: false },
  ],
};

export const VERIFICATION: VerificationOutcome = {
  passed: true,
  checks: [{ pluginId: 'http.probe', passed: true, summary: 'GET /health answered 200 (3 of 3 probes).' }],
};

import type { Diagnosis, ExecutionOutcome, FixProposal, PolicyDecision, ProposalOutcome, TriageResult, VerificationOutcome } from '../../src/domain';

const diagnosis: Diagnosis = {
  summary: 'checkout fails its health check.',
  rootCause: 'checkout is unhealthy: HTTP 503',
  category: 'availability',
  severity: 'high',
  affectedService: 'checkout',
  confidence: 0.8,
  evidence: [{ source: 'http.probe', summary: 'HTTP 503', status: 'error' }],
};
const proposal: FixProposal = {
  summary: 'Restart checkout',
  rationale: 'It is unhealthy.',
  riskClaim: 'medium',
  steps: [{ pluginId: 'http.call', args: { target: 'checkout', action: 'restart' }, summary: 'POST /admin/restart' }],
  verification: [{ pluginId: 'http.probe', args: { target: 'checkout' } }],
};
const decision = (action: PolicyDecision['action'], approvalsRequired = 1): PolicyDecision => ({ action, risk: 'medium', reasons: [action], approvalsRequired });
const execution = (succeeded: boolean, dryRun?: true): ExecutionOutcome => ({
  succeeded,
  dryRun,
  steps: [{ pluginId: 'http.call', idempotencyKey: 'k', status: succeeded ? 'success' : 'error', summary: '', elapsedMs: 1, recovered: false }],
});
const verification = (passed: boolean): VerificationOutcome => ({ passed, checks: [{ pluginId: 'http.probe', passed, summary: '' }] });

/**
 * Outputs each invoked actor (by `src`) can finish with: one per branch its done-transition guards
 * distinguish. Every actor the chart invokes must be listed, or the coverage test fails.
 */
export const SAMPLE_OUTPUTS: Record<string, unknown[]> = {
  triage: [
    { verdict: 'new', reason: 'new' } satisfies TriageResult,
    { verdict: 'duplicate', reason: 'dup', duplicateOf: 'INC-0RIGINAL' } satisfies TriageResult,
    { verdict: 'noise', reason: 'info' } satisfies TriageResult,
  ],
  mergeIntoOriginal: [undefined],
  diagnose: [diagnosis],
  sendDiagnosisCard: [{ messageId: 'msg-diagnosis' }],
  propose: [{ fixable: true, proposal } satisfies ProposalOutcome, { fixable: false, reason: 'none' } satisfies ProposalOutcome],
  // Two approvers needed: the first approval is counted and the incident keeps waiting.
  evaluatePolicy: [decision('auto_execute'), decision('require_approval'), decision('escalate'), decision('require_approval', 2)],
  sendProposalCard: [{ messageId: 'msg-proposal' }],
  execute: [execution(true), execution(false), execution(false, true)],
  verify: [verification(true), verification(false)],
  announce: [{ messageId: 'msg-announce' }],
  waitUntil: [undefined],
  awaitDiagnosisSlot: [undefined],
  remind: [{ card: 'diagnosis', level: 0, mentioned: ['ou_graph'], messageIds: ['msg-reminder'], nextInMs: 60_000 }],
};

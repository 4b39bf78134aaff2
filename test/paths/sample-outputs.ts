import type { Diagnosis, FixProposal, FixStepReport, PolicyDecision, ProposalOutcome, StepOutcome, TriageResult, VerificationOutcome } from '../../src/domain';

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
/** Its first step can be undone (its plugin said so when it was planned); its second cannot. */
const undoableProposal: FixProposal = {
  ...proposal,
  summary: 'Scale checkout up, then restart it',
  steps: [
    { pluginId: 'kubernetes.scale', args: { target: 'prod', namespace: 'shop', deployment: 'checkout', replicas: 4 }, summary: 'Scale to 4', undo: 'rollback' },
    { pluginId: 'http.call', args: { target: 'checkout', action: 'restart' }, summary: 'POST /admin/restart', undo: 'none' },
  ],
};
const decision = (action: PolicyDecision['action'], approvalsRequired = 1): PolicyDecision => ({ action, risk: 'medium', reasons: [action], approvalsRequired });
/** Steps the fix machine may report: each fix's steps succeeding or failing, and a dry run's. */
export const FIX_STEP_REPORTS: FixStepReport[] = [
  { index: 0, of: 1, outcome: ran('http.call', 'success', 'k') },
  { index: 0, of: 1, outcome: ran('http.call', 'error', 'k') },
  { index: 0, of: 1, outcome: { ...ran('http.call', 'success', 'k'), status: 'no_data' }, dryRun: true },
  { index: 0, of: 2, outcome: ran('kubernetes.scale', 'success', 'k0') },
  { index: 1, of: 2, outcome: ran('http.call', 'success', 'k1') },
  { index: 1, of: 2, outcome: ran('http.call', 'error', 'k1') },
];
function ran(pluginId: string, status: 'success' | 'error', key: string): StepOutcome {
  return { pluginId, idempotencyKey: key, status, summary: '', elapsedMs: 1, recovered: false };
}
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
  propose: [
    { fixable: true, proposal } satisfies ProposalOutcome,
    { fixable: true, proposal: undoableProposal } satisfies ProposalOutcome,
    { fixable: false, reason: 'none' } satisfies ProposalOutcome,
  ],
  // Two approvers needed: the first approval is counted and the incident keeps waiting.
  evaluatePolicy: [decision('auto_execute'), decision('require_approval'), decision('escalate'), decision('require_approval', 2)],
  sendProposalCard: [{ messageId: 'msg-proposal' }],
  // The fix machine ends without output; its steps come as `fix.stepped` (FIX_STEP_REPORTS).
  fix: [undefined],
  verify: [verification(true), verification(false)],
  announce: [{ messageId: 'msg-announce' }],
  waitUntil: [undefined],
  awaitDiagnosisSlot: [undefined],
  remind: [{ card: 'diagnosis', level: 0, mentioned: ['ou_graph'], messageIds: ['msg-reminder'], nextInMs: 60_000 }],
};

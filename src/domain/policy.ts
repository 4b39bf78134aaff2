import { z } from 'zod';
import { RISKS, RiskSchema } from './severity';
import type { Risk } from './severity';

/** Who may approve a fix, frozen when the policy decided, so the chart can check approvals against it. */
export const ApproversSchema = z.object({
  /** Roles that may approve a fix of this risk. */
  roles: z.array(z.string()),
  /** The people holding those roles; null when everyone does (no approver list is configured). */
  ids: z.array(z.string()).nullable(),
  /** Opened the incident by hand: at high risk and above they may approve, but never as the only approver. */
  requester: z.string().optional(),
});
export type Approvers = z.infer<typeof ApproversSchema>;

/** Automatic executions left in a quota window, after this one if it runs automatically. */
export const QuotaLeftSchema = z.object({ scope: z.string(), limit: z.number().int().min(0), left: z.number().int().min(0) });
export type QuotaLeft = z.infer<typeof QuotaLeftSchema>;

/**
 * One reason of a decision, written in every language when the policy decided (times in TIMEZONE), so it reads
 * the same later; a plain string is a reason recorded before reasons were translated (shown as it is).
 */
export const PolicyReasonSchema = z.union([z.string(), z.object({ en: z.string(), 'zh-CN': z.string() })]);
export type PolicyReason = z.infer<typeof PolicyReasonSchema>;

export const PolicyDecisionSchema = z.object({
  action: z.enum(['auto_execute', 'require_approval', 'escalate']),
  risk: RiskSchema,
  reasons: z.array(PolicyReasonSchema),
  /** Distinct approvers needed. Critical always needs at least two, whatever this says. */
  approvalsRequired: z.number().int().min(0),
  /** Absent on decisions made before roles existed: then anyone counts, as it did then. */
  approvers: ApproversSchema.optional(),
  quotas: z.array(QuotaLeftSchema).optional(),
  /** Evaluated and planned, but nothing runs. */
  dryRun: z.boolean().optional(),
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;

export function riskAtLeast(risk: Risk, floor: Risk): boolean {
  return RISKS.indexOf(risk) >= RISKS.indexOf(floor);
}

/** Approvals a decision needs: never fewer than one, never fewer than two for critical. */
export function approvalsNeeded(decision: Pick<PolicyDecision, 'risk' | 'approvalsRequired'>): number {
  return Math.max(decision.approvalsRequired, decision.risk === 'critical' ? 2 : 1);
}

/**
 * Whether `by` may add an approval to the ones so far: a person the decision lists (or anyone, when it
 * lists nobody) who has not approved already. Pure, so the chart's guards and the chat's checks agree.
 */
export function approvalCounts(decision: PolicyDecision | null, soFar: readonly string[], by: string): boolean {
  if (decision?.action !== 'require_approval') return false;
  const ids = decision.approvers?.ids;
  if (ids && !ids.includes(by)) return false;
  return !soFar.includes(by);
}

/** Enough distinct approvers, and at high risk or above not the requester alone. */
export function approvalsComplete(decision: PolicyDecision | null, approvers: readonly string[]): boolean {
  if (decision?.action !== 'require_approval') return false;
  const distinct = [...new Set(approvers)];
  if (distinct.length < approvalsNeeded(decision)) return false;
  const requester = decision.approvers?.requester;
  if (requester && riskAtLeast(decision.risk, 'high')) return distinct.some((id) => id !== requester);
  return true;
}

import { maxRisk, RISKS, riskAtLeast } from '../domain';
import type { Approvers, FixProposal, PolicyDecision, PolicyReason, QuotaLeft, Risk } from '../domain';
import { ENGLISH_UTC } from '../i18n';
import type { I18n } from '../i18n';
import { policySays, policyText, QUOTA_ALL, QUOTA_SERVICE } from './policy-text';
import type { PolicyText } from './policy-text';
import { activeFreeze } from './freeze';
import { holders } from './policy-rules';
import type { PolicyRules } from './policy-rules';
import { levelOf, stepRisk } from './risk';
import type { StepFacts } from './risk';

/** Recent automatic executions by others, as the usage store counted them. */
export interface UsageFacts {
  /** Automatic executions in the last hour, all services. */
  perHour: number;
  /** The same for this incident's service (absent when the service is unknown). */
  servicePerHour?: number;
  /** Automatic steps this incident already ran (earlier attempts). */
  incidentSteps: number;
  /** The latest automatic action on each of the proposal's targets, still inside its cooldown. */
  cooldowns: { target: string; at: number }[];
}

export interface DecideInput {
  rules: PolicyRules;
  proposal: FixProposal;
  /** One per proposal step, same order. */
  steps: StepFacts[];
  /** Verification checks that are not known diagnostics. */
  verificationProblems: PolicyText[];
  service?: string;
  /** Who opened the incident by hand, if a person did. */
  requestedBy?: string;
  now: Date;
  usage: UsageFacts;
  /** Set when claiming the quota failed: another instance used it first. */
  lostRace?: PolicyText;
  /** Writes the reasons in every language, times in TIMEZONE; default English in UTC (tests, tools). */
  i18n?: I18n;
}

/** Why this proposal may not run by itself; empty: it may. Instants are epoch ms (`…At`), shown in TIMEZONE. */
function autoBlockers(input: DecideInput, risk: Risk): PolicyText[] {
  const { rules, usage, now } = input;
  const { upTo, maxStepsPerIncident, cooldownMs, perHour, perServicePerHour } = rules.autoExecute;
  if (risk === 'critical') return [policySays('policy.reason.criticalNeverAuto')];
  if (upTo === 'none') return [policySays('policy.reason.autoOff')];
  if (RISKS.indexOf(risk) > RISKS.indexOf(upTo)) return [policySays('policy.reason.aboveAutoLevel', { risk: upTo })];
  const out: PolicyText[] = [];
  const freeze = activeFreeze(rules.freezes, now);
  if (freeze) out.push(policySays('policy.reason.freeze', { name: freeze.name, untilAt: freeze.until.getTime() }));
  if (usage.incidentSteps + input.steps.length > maxStepsPerIncident) {
    out.push(policySays('policy.reason.maxSteps', { ran: usage.incidentSteps, max: maxStepsPerIncident }));
  }
  for (const { target, at } of usage.cooldowns) {
    out.push(policySays('policy.reason.cooldown', { target, lastAt: at, untilAt: at + cooldownMs }));
  }
  if (usage.perHour >= perHour) out.push(policySays('policy.reason.hourlyQuota', { used: usage.perHour, limit: perHour }));
  if (input.service && usage.servicePerHour !== undefined && usage.servicePerHour >= perServicePerHour) {
    out.push(policySays('policy.reason.serviceQuota', { service: input.service, used: usage.servicePerHour, limit: perServicePerHour }));
  }
  if (input.lostRace) out.push(input.lostRace);
  return out;
}

function quotas(input: DecideInput, auto: boolean): QuotaLeft[] {
  const { perHour, perServicePerHour } = input.rules.autoExecute;
  const left = (limit: number, used: number) => Math.max(0, limit - used - (auto ? 1 : 0));
  const out = [{ scope: QUOTA_ALL, limit: perHour, left: left(perHour, input.usage.perHour) }];
  if (input.service && input.usage.servicePerHour !== undefined) {
    out.push({ scope: `${QUOTA_SERVICE}${input.service}`, limit: perServicePerHour, left: left(perServicePerHour, input.usage.servicePerHour) });
  }
  return out;
}

/** Who may approve, and why nobody can when that is so. */
function approval(rules: PolicyRules, risk: Risk, requestedBy: string | undefined) {
  const level = levelOf(risk);
  const required = Math.max(rules.approvalsRequired[level], risk === 'critical' ? 2 : 1);
  const roles = rules.approvers[level];
  const approvers: Approvers = { roles, ids: holders(rules, roles), ...(requestedBy && riskAtLeast(risk, 'high') ? { requester: requestedBy } : {}) };
  const who = { roles };
  const reasons = [policySays('policy.reason.needsApprovals', { required }, who)];
  if (approvers.requester) reasons.push(policySays('policy.reason.requester', { who: approvers.requester }));
  const ids = approvers.ids;
  let impossible: PolicyText | undefined;
  if (ids && ids.filter((id) => id !== approvers.requester).length === 0) impossible = policySays('policy.reason.nobodyElse', undefined, who);
  else if (ids && ids.length < required) impossible = policySays('policy.reason.tooFewHolders', { holders: ids.length, required }, who);
  return { required, approvers, reasons, impossible };
}

/**
 * The decision, from facts gathered beforehand: pure, so every rule is testable on its own. Risk is
 * the highest of what the plugins declare, what they assess, the proposal's claim and the fences.
 * Its reasons are written in every language (times in TIMEZONE) and kept with the decision.
 */
export function decide(input: DecideInput): PolicyDecision {
  const { rules, proposal, steps } = input;
  const i18n = input.i18n ?? ENGLISH_UTC;
  const say = (texts: PolicyText[]): PolicyReason[] => texts.map((text) => i18n.both((tr) => policyText(tr, text)));
  const dryRun = rules.dryRun || steps.some((s) => rules.dryRunPlugins.includes(s.pluginId));
  const dryRunNote = dryRun ? [policySays('policy.reason.dryRun')] : [];
  const problems = [
    ...steps.flatMap((s) => (s.problem ? [s.problem] : [])),
    ...steps.filter((s) => rules.blockedPlugins.includes(s.pluginId)).map((s) => policySays('policy.reason.blocked', { plugin: s.pluginId })),
    ...input.verificationProblems,
  ];
  const assessed = steps.map((s) => stepRisk(rules, s, proposal.riskClaim, input.service));
  const ownRisks = steps.flatMap((s) => [s.declared, ...(s.assessed ? [s.assessed.risk] : [])]);
  const risk = maxRisk(proposal.riskClaim, ...ownRisks, ...assessed.flatMap((a) => (a.ok ? [a.risk] : [])));
  const declared = steps.map((s) => `${s.pluginId}: ${s.declared}`).join(', ');
  const reasons = [policySays('policy.reason.risk', { risk, declared, claim: proposal.riskClaim }), ...assessed.flatMap((a) => a.reasons)];
  const escalate = (why: PolicyText[]): PolicyDecision => ({ action: 'escalate', risk, reasons: say([...why, ...reasons, ...dryRunNote]), approvalsRequired: 0, dryRun });
  if (problems.length > 0 || assessed.some((a) => !a.ok)) return escalate(problems);

  const blockers = autoBlockers(input, risk);
  if (blockers.length === 0) {
    const runs = policySays('policy.reason.runsAlone', { risk });
    return { action: 'auto_execute', risk, reasons: say([...reasons, runs, ...dryRunNote]), approvalsRequired: 0, quotas: quotas(input, true), dryRun };
  }
  const needed = approval(rules, risk, input.requestedBy);
  if (needed.impossible) return escalate([needed.impossible]);
  return {
    action: 'require_approval',
    risk,
    reasons: say([...reasons, ...blockers, ...needed.reasons, ...dryRunNote]),
    approvalsRequired: needed.required,
    approvers: needed.approvers,
    quotas: quotas(input, false),
    dryRun,
  };
}

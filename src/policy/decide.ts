import { maxRisk, RISKS, riskAtLeast } from '../domain';
import type { Approvers, FixProposal, PolicyDecision, QuotaLeft, Risk } from '../domain';
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
  verificationProblems: string[];
  service?: string;
  /** Who opened the incident by hand, if a person did. */
  requestedBy?: string;
  now: Date;
  usage: UsageFacts;
  /** Set when claiming the quota failed: another instance used it first. */
  lostRace?: string;
}

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Why this proposal may not run by itself; empty: it may. */
function autoBlockers(input: DecideInput, risk: Risk): string[] {
  const { rules, usage, now } = input;
  const { upTo, maxStepsPerIncident, cooldownMs, perHour, perServicePerHour } = rules.autoExecute;
  if (risk === 'critical') return ['Critical changes never run by themselves.'];
  if (upTo === 'none') return ['Automatic execution is off: a person decides.'];
  if (RISKS.indexOf(risk) > RISKS.indexOf(upTo)) return [`Only ${upTo} risk and below runs by itself.`];
  const out: string[] = [];
  const freeze = activeFreeze(rules.freezes, now);
  if (freeze) out.push(`Change freeze "${freeze.name}" until ${when(freeze.until.getTime())}: nothing runs by itself.`);
  if (usage.incidentSteps + input.steps.length > maxStepsPerIncident) {
    out.push(`This incident already ran ${usage.incidentSteps} automatic step(s); at most ${maxStepsPerIncident} run by themselves.`);
  }
  for (const { target, at } of usage.cooldowns) {
    out.push(`${target} had an automatic action at ${when(at)}; it cools down until ${when(at + cooldownMs)}.`);
  }
  if (usage.perHour >= perHour) out.push(`Automatic runs this hour: ${usage.perHour} of ${perHour} used (all services).`);
  if (input.service && usage.servicePerHour !== undefined && usage.servicePerHour >= perServicePerHour) {
    out.push(`Automatic runs this hour for ${input.service}: ${usage.servicePerHour} of ${perServicePerHour} used.`);
  }
  if (input.lostRace) out.push(input.lostRace);
  return out;
}

function quotas(input: DecideInput, auto: boolean): QuotaLeft[] {
  const { perHour, perServicePerHour } = input.rules.autoExecute;
  const left = (limit: number, used: number) => Math.max(0, limit - used - (auto ? 1 : 0));
  const out = [{ scope: 'all services', limit: perHour, left: left(perHour, input.usage.perHour) }];
  if (input.service && input.usage.servicePerHour !== undefined) {
    out.push({ scope: `service ${input.service}`, limit: perServicePerHour, left: left(perServicePerHour, input.usage.servicePerHour) });
  }
  return out;
}

/** Who may approve, and why nobody can when that is so. */
function approval(rules: PolicyRules, risk: Risk, requestedBy: string | undefined) {
  const level = levelOf(risk);
  const required = Math.max(rules.approvalsRequired[level], risk === 'critical' ? 2 : 1);
  const roles = rules.approvers[level];
  const approvers: Approvers = { roles, ids: holders(rules, roles), ...(requestedBy && riskAtLeast(risk, 'high') ? { requester: requestedBy } : {}) };
  const who = roles.join(' or ');
  const reasons = [`Needs ${required} approval(s) from distinct people holding ${who}.`];
  if (approvers.requester) reasons.push(`${approvers.requester} brought this alert in, so someone else must approve too.`);
  const ids = approvers.ids;
  let impossible: string | undefined;
  if (ids && ids.filter((id) => id !== approvers.requester).length === 0) impossible = `Nobody else holds ${who}, so nobody can approve it.`;
  else if (ids && ids.length < required) impossible = `Only ${ids.length} person(s) hold ${who}; ${required} are needed.`;
  return { required, approvers, reasons, impossible };
}

/**
 * The decision, from facts gathered beforehand: pure, so every rule is testable on its own. Risk is
 * the highest of what the plugins declare, what they assess, the proposal's claim and the fences.
 */
export function decide(input: DecideInput): PolicyDecision {
  const { rules, proposal, steps } = input;
  const dryRun = rules.dryRun || steps.some((s) => rules.dryRunPlugins.includes(s.pluginId));
  const dryRunNote = dryRun ? ['Dry run: evaluated and planned; nothing will run.'] : [];
  const problems = [
    ...steps.flatMap((s) => (s.problem ? [s.problem] : [])),
    ...steps.filter((s) => rules.blockedPlugins.includes(s.pluginId)).map((s) => `${s.pluginId} is blocked by policy.`),
    ...input.verificationProblems,
  ];
  const assessed = steps.map((s) => stepRisk(rules, s, proposal.riskClaim, input.service));
  const ownRisks = steps.flatMap((s) => [s.declared, ...(s.assessed ? [s.assessed.risk] : [])]);
  const risk = maxRisk(proposal.riskClaim, ...ownRisks, ...assessed.flatMap((a) => (a.ok ? [a.risk] : [])));
  const declared = steps.map((s) => `${s.pluginId}: ${s.declared}`).join(', ');
  const reasons = [`Risk ${risk}: highest of the plugins' declared risk (${declared}), their own assessment, the fences and the proposal's claim (${proposal.riskClaim}).`];
  reasons.push(...assessed.flatMap((a) => a.reasons));
  const escalate = (why: string[]): PolicyDecision => ({ action: 'escalate', risk, reasons: [...why, ...reasons, ...dryRunNote], approvalsRequired: 0, dryRun });
  if (problems.length > 0 || assessed.some((a) => !a.ok)) return escalate(problems);

  const blockers = autoBlockers(input, risk);
  if (blockers.length === 0) {
    const runs = `Runs without asking: ${risk} risk, outside any freeze, within quotas and cooldowns.`;
    return { action: 'auto_execute', risk, reasons: [...reasons, runs, ...dryRunNote], approvalsRequired: 0, quotas: quotas(input, true), dryRun };
  }
  const needed = approval(rules, risk, input.requestedBy);
  if (needed.impossible) return escalate([needed.impossible]);
  return {
    action: 'require_approval',
    risk,
    reasons: [...reasons, ...blockers, ...needed.reasons, ...dryRunNote],
    approvalsRequired: needed.required,
    approvers: needed.approvers,
    quotas: quotas(input, false),
    dryRun,
  };
}

import type { UsageFacts } from './decide';
import type { PolicyRules } from './policy-rules';
import type { UsageClaim, UsageCount, UsageRead } from './usage';

const HOUR = 3_600_000;
/** Automatic steps count against an incident for as long as it could plausibly stay open. */
const INCIDENT_WINDOW = 30 * 24 * HOUR;

export interface UsageSubject {
  incidentId: string;
  attempt: number;
  service?: string;
  /** Targets the proposal's steps name, one per step (undefined when a step names none). */
  targets: (string | undefined)[];
}

interface Planned extends UsageClaim {
  exclude: string[];
  kind: 'all' | 'service' | 'incident' | 'cooldown';
  target?: string;
}

/** The windows an automatic execution of this proposal counts in, and what it adds to each. */
export function usagePlan(rules: PolicyRules, subject: UsageSubject): Planned[] {
  const { perHour, perServicePerHour, maxStepsPerIncident, cooldownMs } = rules.autoExecute;
  const execution = [`${subject.incidentId}#${subject.attempt}`];
  const steps = subject.targets.map((_, i) => `${subject.attempt}#${i}`);
  const plan: Planned[] = [{ kind: 'all', key: 'auto:all', windowMs: HOUR, limit: perHour, members: execution, exclude: execution }];
  if (subject.service) {
    plan.push({ kind: 'service', key: `auto:service:${subject.service}`, windowMs: HOUR, limit: perServicePerHour, members: execution, exclude: execution });
  }
  plan.push({ kind: 'incident', key: `auto:incident:${subject.incidentId}`, windowMs: INCIDENT_WINDOW, limit: maxStepsPerIncident, members: steps, exclude: steps });
  if (cooldownMs > 0) {
    for (const target of new Set(subject.targets.filter((t): t is string => t !== undefined))) {
      plan.push({ kind: 'cooldown', target, key: `cooldown:${target}`, windowMs: cooldownMs, limit: 1, members: execution, exclude: execution });
    }
  }
  return plan;
}

export function readsOf(plan: Planned[]): UsageRead[] {
  return plan.map(({ key, windowMs, exclude }) => ({ key, windowMs, exclude }));
}

export function claimsOf(plan: Planned[]): UsageClaim[] {
  return plan.map(({ key, windowMs, members, limit }) => ({ key, windowMs, members, limit }));
}

export function usageFacts(plan: Planned[], counts: UsageCount[]): UsageFacts {
  const facts: UsageFacts = { perHour: 0, incidentSteps: 0, cooldowns: [] };
  plan.forEach((p, i) => {
    const { count, newest } = counts[i] ?? { count: 0, newest: null };
    if (p.kind === 'all') facts.perHour = count;
    else if (p.kind === 'service') facts.servicePerHour = count;
    else if (p.kind === 'incident') facts.incidentSteps = count;
    else if (count > 0 && newest !== null && p.target) facts.cooldowns.push({ target: p.target, at: newest });
  });
  return facts;
}

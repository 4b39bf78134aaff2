import { setTimeout as sleep } from 'node:timers/promises';
import { deliver } from './http-client';
import type { Prng } from './prng';
import type { Supervisor } from './supervisor';
import { FINAL_STATES } from './view';
import type { View } from './view';
import { API_KEY, AUTO_PREFIX, SVC_PREFIX, TEAMS } from './world';

/**
 * What the person handling an alert does: `fix` approves the diagnosis and the fix; `auto` approves
 * the diagnosis and lets policy run the fix; `reject` rejects the diagnosis; `wait-diagnosis` never
 * answers (the deadline escalates it); `wait-fix` approves the diagnosis and leaves the fix waiting.
 */
export type Plan = 'fix' | 'auto' | 'reject' | 'wait-diagnosis' | 'wait-fix';

export interface SentCommand {
  clientId: string;
  /** The id the console stores it under (events name it as their source). */
  messageId: string;
  incidentId: string;
  text: string;
  instance: string;
  acknowledged: boolean;
  at: number;
}

export interface AlertAck {
  payload: number;
  at: number;
  status: number;
  instance: string;
  incidents: string[];
  duplicate: boolean;
}

export interface Case {
  index: number;
  fingerprint: string;
  target: string;
  plan: Plan;
  /** The same alert again (a different payload, the same fingerprint), sent to another instance. */
  repeat: boolean;
  /** The first decision is sent twice at once, through two instances (a double click). */
  doubleDecision: boolean;
  payloads: string[];
  acks: AlertAck[];
  /** Payloads no instance acknowledged before the run ended. */
  undelivered: number;
  /** Answers other than 200/202 (a bug, or a malformed alert). */
  refusals: string[];
  /** Every delivery attempt of every payload, for the report when something went wrong. */
  trace: string[];
  /** When its first copy was sent. */
  sentAt: number;
  commands: SentCommand[];
  incidentId?: string;
  finalState?: string;
  resting: boolean;
}

const PLAN_WEIGHTS: Record<Plan, number> = { fix: 45, auto: 20, reject: 10, 'wait-diagnosis': 12, 'wait-fix': 13 };
/** How long after its alert was acknowledged a person stops looking for the incident. */
// A payload acknowledged by an instance killed before it opened the incident is replayed after ~30-40 s.
const NO_INCIDENT_PATIENCE_MS = 50_000;
/** How long a person waits for an answer to a command before typing it again. */
const ANSWER_PATIENCE_MS = 10_000;

export function planCases(count: number, prng: Prng, runTag: string): Case[] {
  const cases: Case[] = [];
  for (let index = 0; index < count; index++) {
    const plan = prng.weighted(PLAN_WEIGHTS);
    const target = `${plan === 'auto' ? AUTO_PREFIX : SVC_PREFIX}${index}`;
    const fingerprint = `chaos-${runTag}-${index}`;
    const team = prng.pick(TEAMS);
    const alert = (copy: number) =>
      JSON.stringify({
        source: 'chaos',
        fingerprint,
        title: `${target} fails its health check`,
        severity: prng.pick(['high', 'critical', 'medium']),
        service: target,
        labels: { team, alertname: 'ServiceDown', copy: String(copy) },
        description: `GET /healthz on ${target} answers 503 (chaos alert ${index}, copy ${copy}).`,
      });
    const repeat = prng.chance(0.2);
    cases.push({
      index,
      fingerprint,
      target,
      plan,
      repeat,
      doubleDecision: prng.chance(0.2),
      payloads: repeat ? [alert(1), alert(2)] : [alert(1)],
      acks: [],
      undelivered: 0,
      refusals: [],
      trace: [],
      sentAt: 0,
      commands: [],
      resting: false,
    });
  }
  return cases;
}

export function targetNames(cases: Case[]): string[] {
  return cases.map((c) => c.target);
}

/** One person per alert: sends it, then answers the incident's cards as the plan says, through any instance. */
export class Driver {
  constructor(
    private readonly supervisor: Supervisor,
    private readonly view: View,
    private readonly prng: Prng,
    private readonly note: (line: string) => void,
    /** Told which instance a request just went to (the chaos may kill it mid-request). */
    private readonly onSent: (instance: string, what: string) => void = () => undefined,
  ) {}

  async handle(c: Case, until: number): Promise<void> {
    await this.sendAlerts(c, until);
    while (Date.now() < until) {
      await this.view.next();
      const incident = this.view.primaryFor(c.fingerprint);
      if (!incident) {
        // Acknowledged, yet no incident shows up: the checks will say so; nobody to answer meanwhile.
        const lastAck = Math.max(0, ...c.acks.map((a) => a.at));
        if (c.acks.length === c.payloads.length && Date.now() - lastAck > NO_INCIDENT_PATIENCE_MS) return;
        continue;
      }
      c.incidentId = incident.id;
      c.finalState = incident.state;
      if (FINAL_STATES.has(incident.state) && incident.status !== 'active') {
        c.resting = true;
        return;
      }
      // Left waiting on purpose: it should stay parked with its deadline until the end.
      c.resting = c.plan === 'wait-fix' && incident.state === 'open.awaitingProposalApproval' && incident.status === 'parked';
      if (c.resting) return;
      const decision = this.decisionFor(c.plan, incident.state);
      if (decision) await this.decide(c, incident.id, decision, until);
    }
  }

  private decisionFor(plan: Plan, state: string): string | undefined {
    if (state === 'open.awaitingDiagnosisApproval') {
      if (plan === 'wait-diagnosis') return undefined;
      return plan === 'reject' ? 'reject {id} diagnosis not convinced' : 'approve {id} diagnosis';
    }
    if (state === 'open.awaitingProposalApproval' && plan === 'fix') return 'approve {id} fix';
    return undefined;
  }

  private async sendAlerts(c: Case, until: number): Promise<void> {
    c.sentAt = Date.now();
    const sends = c.payloads.map(async (payload, i) => {
      if (i > 0) await sleep(this.prng.between(0, 1_500));
      const avoid = c.acks[0]?.instance;
      const trace: string[] = [];
      const answer = await deliver(this.supervisor, this.prng, '/api/alerts', payload, { authorization: `Bearer ${API_KEY}` }, until, {
        avoid,
        trace,
        onSent: (instance) => this.onSent(instance, `alert ${c.index}`),
      });
      c.trace.push(...trace.map((line) => `copy ${i + 1} ${line}`));
      if (!answer) {
        c.undelivered++;
        return;
      }
      if (answer.status !== 200 && answer.status !== 202) {
        c.refusals.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        return;
      }
      const incidents = Array.isArray(answer.body.incidents) ? (answer.body.incidents as { id: string }[]).map((x) => x.id) : [];
      c.acks.push({ payload: i, at: Date.now(), status: answer.status, instance: answer.instance, incidents, duplicate: answer.body.duplicate === true });
    });
    await Promise.all(sends);
  }

  /** Sends the decision unless one is still waiting for its answer; types it again when the last went unanswered or was refused. */
  private async decide(c: Case, incidentId: string, template: string, until: number): Promise<void> {
    const text = `/${template.replace('{id}', incidentId)}`;
    const previous = c.commands.filter((cmd) => cmd.text === text);
    const last = previous.at(-1);
    if (last) {
      const answer = this.view.replies.get(last.messageId);
      // Unanswered: give it time. Answered: the incident's new state shows a moment later; refused or busy: type it again.
      if (!answer && Date.now() - last.at < ANSWER_PATIENCE_MS) return;
      if (answer && Date.now() - answer.seenAt < 1_000) return;
      if (previous.length >= 12) return; // a person gives up typing eventually
    }
    const copies = !last && c.doubleDecision ? 2 : 1;
    await Promise.all(Array.from({ length: copies }, () => this.command(c, incidentId, text, until)));
  }

  private async command(c: Case, incidentId: string, text: string, until: number): Promise<void> {
    const clientId = `chaos${Math.floor(this.prng.next() * 2 ** 48).toString(16).padStart(12, '0')}`;
    const sent: SentCommand = { clientId, messageId: `web-in-${clientId}`, incidentId, text, instance: '', acknowledged: false, at: Date.now() };
    c.commands.push(sent);
    const body = JSON.stringify({ id: clientId, text });
    // As the console page sends it (loopback needs no token).
    const headers = { 'x-ai-fixer-console': '1' };
    const answer = await deliver(this.supervisor, this.prng, '/api/console/messages', body, headers, Math.min(until, Date.now() + 15_000), {
      onSent: (instance) => this.onSent(instance, text),
    });
    sent.at = Date.now();
    if (!answer) return;
    sent.instance = answer.instance;
    sent.acknowledged = answer.status === 202;
    if (!sent.acknowledged) this.note(`command ${text} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
  }
}

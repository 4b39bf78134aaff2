import { createHash } from 'node:crypto';
import type { IncidentContext } from '../../src/domain';
import { wakeAtOf } from '../../src/runtime/snapshot-info';
import type { Case } from './driver';
import { clock } from './fault-log';
import type { Db } from './services';
import type { World } from './world';
import { AUTO_PREFIX } from './world';

export interface Violation {
  invariant: string;
  detail: string;
}

interface IncidentFull {
  id: string;
  state: string;
  status: string;
  fingerprint: string;
  merged_into: string | null;
  version: number;
  created_at: Date;
  wake_at: Date | null;
  snapshot: { context: IncidentContext; children?: Record<string, unknown> };
}

interface EventRow {
  incident_id: string;
  seq: number;
  at: Date;
  actor: string;
  event_type: string;
  from_state: string | null;
  to_state: string;
  payload: { source?: { messageId?: string } } & Record<string, unknown>;
}

interface ExecutionRow {
  incident_id: string;
  idempotency_key: string;
  plugin_id: string;
  args: { target?: string };
  status: string;
}

interface WebMessageRow {
  message_id: string;
  author: string;
  text: string | null;
  card: CardJson | null;
  reply_to: string | null;
}

type CardJson = { header?: { title?: { content?: string } } };

interface JournalRow {
  idempotency_key: string;
  incident_id: string;
  step: string;
  status: string;
  result: unknown;
}

export interface Evidence {
  incidents: IncidentFull[];
  events: Map<string, EventRow[]>;
  executions: ExecutionRow[];
  webMessages: WebMessageRow[];
  journal: JournalRow[];
  /** inbound_events: claimed delivery keys and when. */
  claims: Map<string, Date>;
}

/** Reads what the checks look at, once the run has settled. */
export async function gatherEvidence(db: Db): Promise<Evidence> {
  const incidents = await db.query<IncidentFull>('select id, state, status, fingerprint, merged_into, version, created_at, wake_at, snapshot from incidents order by created_at, id');
  const rows = await db.query<EventRow>('select incident_id, seq, at, actor, event_type, from_state, to_state, payload from incident_events order by incident_id, seq');
  const events = new Map<string, EventRow[]>();
  for (const row of rows) {
    const list = events.get(row.incident_id) ?? [];
    list.push(row);
    events.set(row.incident_id, list);
  }
  const executions = await db.query<ExecutionRow>('select incident_id, idempotency_key, plugin_id, args, status from executions order by id');
  const webMessages = await db.query<WebMessageRow>('select message_id, author, text, card, reply_to from web_messages order by seq');
  const journal = await db.query<JournalRow>('select idempotency_key, incident_id, step, status, result from step_journal');
  const inbound = await db.query<{ key: string; received_at: Date }>('select key, received_at from inbound_events');
  return { incidents, events, executions, webMessages, journal, claims: new Map(inbound.map((r) => [r.key, r.received_at])) };
}

/** Every invariant of the issue, checked against the database, the targets' ledgers and the chats. */
export function checkInvariants(cases: Case[], evidence: Evidence, world: World, explain: (at: number) => string, now = Date.now()): Violation[] {
  const violations: Violation[] = [];
  const add = (invariant: string, detail: string) => violations.push({ invariant, detail });
  oneIncidentPerAlert(cases, evidence, add, explain);
  actionsAtMostOnce(evidence, world, add);
  approvalsOnce(cases, evidence, add, explain);
  incidentsAtRest(evidence, now, add);
  timelinesComplete(evidence, add);
  noDuplicateMessages(evidence, world, add);
  journaledPostsExist(evidence, world, add);
  return violations;
}

type Add = (invariant: string, detail: string) => void;

function oneIncidentPerAlert(cases: Case[], { incidents, claims, events }: Evidence, add: Add, explain: (at: number) => string): void {
  const byFingerprint = new Map<string, IncidentFull[]>();
  for (const incident of incidents) byFingerprint.set(incident.fingerprint, [...(byFingerprint.get(incident.fingerprint) ?? []), incident]);
  const known = new Set(cases.map((c) => c.fingerprint));
  for (const incident of incidents) {
    if (!known.has(incident.fingerprint)) add('one incident per alert', `${incident.id} has fingerprint ${incident.fingerprint}, which no alert had`);
  }
  for (const c of cases) {
    const rows = byFingerprint.get(c.fingerprint) ?? [];
    const primaries = rows.filter((r) => r.merged_into === null);
    for (const refusal of c.refusals) add('one incident per alert', `alert ${c.index} was refused: ${refusal}`);
    if (c.undelivered > 0 && c.acks.length === 0) continue; // never acknowledged by anyone: nothing was promised
    if (primaries.length === 0) {
      const acked = c.acks.map((a) => `${a.instance}: ${a.status}${a.duplicate ? ' duplicate' : ''} [${a.incidents.join(', ')}]`).join('; ');
      const claimed = c.payloads.flatMap((payload) => claimedAt(claims, `http:${sha256(payload)}:`)).join(', ') || 'none';
      add(
        'one incident per alert',
        `alert ${c.index} (${c.fingerprint}) was acknowledged (${acked}) but has no incident; its payload was claimed in inbound_events at ${claimed}; deliveries: ${c.trace.join(', ')} (${explain(c.sentAt)})`,
      );
      continue;
    }
    // A repeat that arrives after the incident closed rightly opens a new one.
    const overlapping = primaries.filter((p, i) => i === 0 || !closedBefore(primaries[i - 1]!, p.created_at, events));
    if (overlapping.length > 1) add('one incident per alert', `alert ${c.index} has ${overlapping.length} open incidents at once: ${overlapping.map((p) => p.id).join(', ')}`);
    const primary = primaries[0]!;
    for (const merged of rows.filter((r) => r.merged_into !== null && !primaries.some((p) => p.id === r.merged_into))) {
      add('one incident per alert', `${merged.id} was merged into ${merged.merged_into}, not into ${primary.id} (alert ${c.index})`);
    }
    for (const id of c.acks.flatMap((a) => a.incidents)) {
      if (!rows.some((r) => r.id === id)) add('one incident per alert', `alert ${c.index} was answered with ${id}, which is not its incident`);
    }
  }
}

/** Whether `incident` had reached a final state (its status done) before `at`. */
function closedBefore(incident: IncidentFull, at: Date, events: Map<string, EventRow[]>): boolean {
  const closing = (events.get(incident.id) ?? []).find((e) => ['resolved', 'ignored', 'merged'].includes(e.to_state));
  return closing !== undefined && closing.at.getTime() <= at.getTime();
}

function actionsAtMostOnce({ incidents, events, executions }: Evidence, world: World, add: Add): void {
  const byKey = new Map(executions.map((e) => [e.idempotency_key, e]));
  const state = new Map(incidents.map((i) => [i.id, i.state]));
  for (const [name, target] of world.targets) {
    for (const [key, count] of target.restartLedger) {
      if (key === '') {
        add('actions at most once', `${name} was restarted ${count} time(s) without an Idempotency-Key`);
        continue;
      }
      if (count > 1) add('actions at most once', `${name} was restarted ${count} times for ${key}`);
      const execution = byKey.get(key);
      if (!execution) add('actions at most once', `${name} was restarted for ${key}, which the executions ledger does not know`);
      else if (execution.args.target !== name) add('actions at most once', `${key} is an action on ${execution.args.target}, but ${name} received it`);
      const incidentId = key.split('/')[0] ?? '';
      const timeline = events.get(incidentId) ?? [];
      const approved = timeline.some((e) => e.event_type === 'proposal.approved');
      const enteredRemediation = timeline.find((e) => e.to_state.startsWith('remediating'));
      if (!enteredRemediation) add('actions at most once', `${name} was restarted for ${incidentId}, whose timeline never entered remediating`);
      else if (!name.startsWith(AUTO_PREFIX) && !approved) add('actions at most once', `${name} was restarted for ${incidentId} without anyone approving the fix`);
    }
  }
  for (const execution of executions) {
    const target = execution.args.target ? world.targets.get(execution.args.target) : undefined;
    const seen = target?.restartLedger.get(execution.idempotency_key) ?? 0;
    if (execution.status === 'success' && seen === 0) {
      add('actions at most once', `${execution.idempotency_key} is recorded as a success but ${execution.args.target} never received it`);
    }
    if (execution.status === 'intent' && state.get(execution.incident_id) === 'resolved') {
      add('actions at most once', `${execution.incident_id} is resolved with its action ${execution.idempotency_key} still only an intent`);
    }
  }
}

const DECISIONS = ['diagnosis.approved', 'diagnosis.rejected', 'proposal.approved', 'proposal.rejected'];
const APPLIED_REPLY = /^(Approved|Rejected) the (diagnosis|fix) of (INC-\w+)/;

function approvalsOnce(cases: Case[], { events, webMessages, claims }: Evidence, add: Add, explain: (at: number) => string): void {
  const bySource = new Map<string, EventRow[]>();
  for (const [incidentId, timeline] of events) {
    const decisions = timeline.filter((e) => DECISIONS.includes(e.event_type));
    for (const type of DECISIONS) {
      const n = decisions.filter((e) => e.event_type === type).length;
      if (n > 1) add('approvals applied once', `${incidentId} applied ${type} ${n} times`);
    }
    for (const event of decisions) {
      const source = event.payload.source?.messageId;
      if (source) bySource.set(source, [...(bySource.get(source) ?? []), event]);
    }
  }
  for (const [source, applied] of bySource) {
    if (applied.length > 1) add('approvals applied once', `message ${source} was applied ${applied.length} times`);
  }
  const replies = new Map(webMessages.filter((m) => m.author === 'bot' && m.reply_to).map((m) => [m.reply_to!, m.text ?? '']));
  for (const c of cases) {
    const appliedByReply = new Map<string, number>();
    for (const command of c.commands) {
      if (!command.acknowledged) continue;
      const reply = replies.get(command.messageId);
      const match = reply ? APPLIED_REPLY.exec(reply) : null;
      if (match) appliedByReply.set(`${match[2]}`, (appliedByReply.get(`${match[2]}`) ?? 0) + 1);
      if (!reply && !bySource.has(command.messageId)) {
        const claimed = claims.has(`lark:message:${command.messageId}`) ? 'claimed' : 'never claimed';
        add('approvals applied once', `"${command.text}" was acknowledged by ${command.instance} (202) at ${clock(command.at)}, ${claimed}, but never applied nor answered (${explain(command.at)})`);
      }
      if (match && !bySource.has(command.messageId)) {
        add('approvals applied once', `"${command.text}" was answered "${reply}" but no event came from it`);
      }
    }
    for (const [subject, n] of appliedByReply) {
      if (n > 1) add('approvals applied once', `${c.incidentId ?? c.fingerprint}: ${n} commands were told their ${subject} decision was applied`);
    }
  }
}

const AWAITING = new Set(['open.awaitingDiagnosisApproval', 'open.awaitingProposalApproval']);
const RESTING = new Set(['resolved', 'ignored', 'merged', 'escalated']);
/** A due deadline fires on the next sweep (DEADLINE_SWEEP_INTERVAL): allow a few seconds. */
const OVERDUE_MS = 5_000;

function incidentsAtRest({ incidents, events }: Evidence, now: number, add: Add): void {
  for (const incident of incidents) {
    const timers = (events.get(incident.id) ?? []).filter((e) => /^xstate\.done\.actor\.\w+Timer$/.test(e.event_type));
    for (const type of new Set(timers.map((t) => t.event_type))) {
      const n = timers.filter((t) => t.event_type === type).length;
      if (n > 1) add('resolved, escalated or waiting with a deadline', `${incident.id}: ${type.replace('xstate.done.actor.', '')} fired ${n} times`);
    }
    if (RESTING.has(incident.state)) {
      const expected = incident.state === 'escalated' ? 'parked' : 'done';
      if (incident.status !== expected) add('resolved, escalated or waiting with a deadline', `${incident.id} is ${incident.state} but its status is ${incident.status}`);
      continue;
    }
    if (!AWAITING.has(incident.state) || incident.status !== 'parked') {
      add('resolved, escalated or waiting with a deadline', `${incident.id} is stuck in ${incident.state} (${incident.status})`);
      continue;
    }
    const deadline = wakeAtOf(incident.snapshot as Parameters<typeof wakeAtOf>[0]);
    if (!incident.wake_at || !deadline) {
      add('resolved, escalated or waiting with a deadline', `${incident.id} waits in ${incident.state} with no deadline`);
    } else if (incident.wake_at.getTime() !== deadline.getTime()) {
      add('resolved, escalated or waiting with a deadline', `${incident.id}: wake_at ${incident.wake_at.toISOString()} is not its timer's deadline ${deadline.toISOString()}`);
    } else if (deadline.getTime() < now - OVERDUE_MS) {
      add('resolved, escalated or waiting with a deadline', `${incident.id}: its deadline ${deadline.toISOString()} passed ${Math.round((now - deadline.getTime()) / 1000)} s ago and did not fire`);
    }
  }
}

function timelinesComplete({ incidents, events }: Evidence, add: Add): void {
  for (const incident of incidents) {
    const timeline = events.get(incident.id) ?? [];
    const where = (e: EventRow) => `${incident.id} #${e.seq} ${e.event_type}`;
    if (timeline.length !== incident.version) add('audit timeline complete and ordered', `${incident.id} is at version ${incident.version} with ${timeline.length} audit rows`);
    const first = timeline[0];
    if (!first || first.event_type !== 'alert.received' || first.from_state !== null) {
      add('audit timeline complete and ordered', `${incident.id} does not begin with alert.received`);
    }
    timeline.forEach((event, i) => {
      if (event.seq !== i + 1) add('audit timeline complete and ordered', `${where(event)}: expected seq ${i + 1}`);
      const before = timeline[i - 1];
      if (!before) return;
      if (event.from_state !== before.to_state) add('audit timeline complete and ordered', `${where(event)} leaves ${event.from_state}, but #${before.seq} entered ${before.to_state}`);
      if (event.at.getTime() < before.at.getTime()) add('audit timeline complete and ordered', `${where(event)} is dated before #${before.seq}`);
    });
    const last = timeline.at(-1);
    if (last && last.to_state !== incident.state) add('audit timeline complete and ordered', `${incident.id} is ${incident.state}, its timeline ends in ${last.to_state}`);
  }
}

/** A card's title without its severity (a re-run may judge severity differently; the card is the same). */
function cardKey(card: unknown): string | undefined {
  const title = (card as CardJson | null)?.header?.title?.content;
  return title?.replace(/^\[[A-Z]+\]\s*/, '');
}

function noDuplicateMessages({ webMessages, incidents }: Evidence, world: World, add: Add): void {
  const ids = new Set(incidents.map((i) => i.id));
  const count = (keys: string[], where: string) => {
    const seen = new Map<string, number>();
    for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
    for (const [key, n] of seen) if (n > 1) add('no duplicate chat messages', `${where}: "${key.slice(0, 120)}" posted ${n} times`);
  };
  const larkKeys = world.lark.sent.map((m) => `${m.chatId} ${m.msgType === 'interactive' ? (cardKey(m.content) ?? JSON.stringify(m.content)) : JSON.stringify(m.content)}`);
  count(larkKeys, 'Lark');
  const bot = webMessages.filter((m) => m.author === 'bot');
  count(bot.map((m) => (m.card ? (cardKey(m.card) ?? JSON.stringify(m.card)) : `${m.reply_to ?? ''} ${m.text ?? ''}`)), 'web console');
  for (const m of world.lark.sent) {
    const id = cardKey(m.content)?.match(/INC-\w+/)?.[0];
    if (m.msgType === 'interactive' && id && !ids.has(id)) add('no duplicate chat messages', `Lark card for unknown incident ${id}`);
  }
}

/** Why incidents were handed to people, counted (the run's figures, not an invariant). */
export function escalationReasons({ incidents }: Evidence): Map<string, number> {
  const reasons = new Map<string, number>();
  for (const incident of incidents) {
    if (incident.state !== 'escalated') continue;
    const reason = (incident.snapshot.context as { escalation?: { reason?: string } }).escalation?.reason ?? 'unknown';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return reasons;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function claimedAt(claims: Map<string, Date>, prefix: string): string[] {
  return [...claims].filter(([key]) => key.startsWith(prefix)).map(([, at]) => clock(at.getTime()));
}

const CHAT_STEPS = /^(diagnosis-card|proposal-card|announce-\w+)$/;

/** A chat step the journal records as done posted a message that exists (in Lark or the web console). */
function journaledPostsExist({ journal, webMessages }: Evidence, world: World, add: Add): void {
  const posted = new Set([...world.lark.messages.map((m) => m.messageId), ...webMessages.map((m) => m.message_id)]);
  for (const row of journal) {
    if (row.status !== 'done' || !CHAT_STEPS.test(row.step)) continue;
    const messageId = (row.result as { messageId?: unknown } | null)?.messageId;
    if (typeof messageId !== 'string') continue; // sealed (ENCRYPTION_KEY) or another shape: nothing to compare
    if (!posted.has(messageId)) add('no duplicate chat messages', `${row.idempotency_key} is journaled as posted (${messageId}) but no chat has that message`);
  }
}

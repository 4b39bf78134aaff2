import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLabel } from '../../machines/incident.labels';
import type { Card } from '../../src/chat/core/card';
import type { ChatPort, PostedMessage, PostOptions, UrgentChannel } from '../../src/chat/core/chat-port';
import type { IncidentContext } from '../../src/domain';
import type { Localized } from '../../src/i18n';
import { remind } from '../../src/implementations/reminder';
import type { ChainLevel } from '../../src/implementations/reminder';
import { waitUntil } from '../../src/implementations/wait-until';
import { RedisLeases } from '../../src/locks/redis-leases';
import type { LeasePort } from '../../src/locks/lease-port';
import { createRegistry } from '../../src/plugins/discovery';
import { TargetsSchema } from '../../src/plugins/targets';
import { ExecutionPolicy, parsePolicy } from '../../src/policy';
import { MemoryUsage } from '../../src/policy/usage';
import { ControllableActors } from '../support/controllable-actors';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';

const ONCALL = 'ou_oncall0000000000000000000001';
const LEAD = 'ou_lead000000000000000000000001';
const BOSS = 'ou_boss000000000000000000000001';
const GROUP = 'oc_leads00000000000000000000001';
const logger = pino({ level: 'silent' });

/** Operators decide; the operator on-call is ONCALL, the sre-leads' is LEAD. */
const RULES = parsePolicy(
  {
    roles: { operator: ['ou_alice'], 'sre-leads': [LEAD] },
    decide: { diagnosis: ['operator'] },
    approvers: { low: ['operator'], medium: ['operator'], high: ['operator'], critical: ['operator'] },
    oncall: { roles: { operator: { people: [ONCALL] }, 'sre-leads': { people: [LEAD] } } },
  },
  'reminders test',
);

const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
const diagnosis = { summary: 's', rootCause: 'r', category: 'availability', severity: 'high', confidence: 0.5, evidence: [] };
const by = { by: { id: 'ou_alice' }, source: { kind: 'command' as const } };

interface Post {
  chatId: string;
  card: Card;
  zh: Card;
  key: string;
  replyTo?: string;
}

/** Our ChatPort, recording every call (a second post of one key is recorded too: nothing must post twice). */
class RecordingChat implements ChatPort {
  readonly posts: Post[] = [];
  readonly urgents: { messageId: string; userIds: readonly string[]; channel: UrgentChannel }[] = [];

  /** While set, reminder posts wait for it (a slow chat). */
  held: Promise<void> | undefined;

  async postCard(chatId: string, card: Localized<Card>, key: string, options?: PostOptions): Promise<PostedMessage> {
    if (key.includes('/reminder-')) await this.held;
    this.posts.push({ chatId, card: card.en, zh: card['zh-CN'], key, replyTo: options?.replyTo });
    return { messageId: `om_${key}` };
  }
  postText(): Promise<PostedMessage> {
    return Promise.resolve({ messageId: 'om_text' });
  }
  updateCard(): Promise<void> {
    return Promise.resolve();
  }
  react(): Promise<void> {
    return Promise.resolve();
  }
  urgent(messageId: string, userIds: readonly string[], channel: UrgentChannel): Promise<void> {
    this.urgents.push({ messageId, userIds, channel });
    return Promise.resolve();
  }
  reminders(card = 'diagnosis'): Post[] {
    return this.posts.filter((p) => p.key.includes(`/reminder-${card}-`));
  }
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

interface InstanceOptions {
  db: TestDatabase;
  chat: RecordingChat;
  remindAfterMs?: number;
  chain?: ChainLevel[];
  leases?: LeasePort;
}

/** The runtime with the real timers and reminder step (the other steps settled by the test) on a shared database. */
async function instance({ db, chat, remindAfterMs = 1_000, chain = [], leases }: InstanceOptions) {
  const actors = new ControllableActors();
  const { registry: plugins } = await createRegistry({ logger });
  const targets = TargetsSchema.parse({});
  const policy = new ExecutionPolicy({ plugins, targets, rules: () => RULES, usage: new MemoryUsage(), logger });
  const h = await createHarness({
    db,
    leases,
    timeouts: { reminder: remindAfterMs },
    machine: (_incidents, base) =>
      actors.machine().provide({ actors: { waitUntil, remind: remind({ journal: base.journal, chat, logger, policy, escalationChain: chain }) } }),
  });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= h.close());
  cleanups.push(close);
  return { h, actors, close };
}
type Instance = Awaited<ReturnType<typeof instance>>;

async function settle(a: Instance, id: string, steps: [string, unknown][]) {
  for (const [invokeId, output] of steps) {
    await eventually(() => (a.actors.isPending(id, invokeId) ? true : undefined), `${invokeId} to start`);
    a.actors.settle(id, invokeId, { output });
  }
}

async function stateOf(h: Harness, id: string, state: string, also: (context: IncidentContext) => boolean = () => true) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state && also(view.context) ? view : undefined;
  }, `${id} to reach ${state}`, 20_000);
}

/** Opens an incident and posts its diagnosis card (as `card-diagnosis`); it parks waiting for a decision. */
async function parkAtDiagnosis(a: Instance): Promise<string> {
  const { id } = await a.h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
  await settle(a, id, [['triage', { verdict: 'new', reason: 'new' }], ['diagnose', diagnosis], ['sendDiagnosisCard', { messageId: 'card-diagnosis' }]]);
  await stateOf(a.h, id, 'open.awaitingDiagnosisApproval');
  return id;
}

/** Wakes due incidents (as the sweeper's interval would) until `check` holds. */
async function sweepUntil<T>(instances: Instance[], check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  return eventually(async () => {
    await Promise.all(instances.map((i) => i.h.sweeper.sweep()));
    return check();
  }, what, 20_000);
}

describe('reminders of a card nobody answers', () => {
  it('reminds the card’s on-call once after REMIND_AFTER, then each chain level in order, without moving the deadline', async () => {
    const chat = new RecordingChat();
    const chain = [
      { to: 'sre-leads', afterMs: 200 },
      { to: GROUP, afterMs: 200 },
      { to: BOSS, afterMs: 200 },
    ];
    const a = await instance({ db: await database(), chat, chain });
    const id = await parkAtDiagnosis(a);
    const parked = (await a.h.runtime.get(id))!.context;
    expect(parked.deadlines.reminder).toBeDefined();
    expect(chat.reminders()).toEqual([]);

    const done = await sweepUntil([a], async () => {
      const view = await a.h.runtime.get(id);
      return view?.state === 'open.awaitingDiagnosisApproval' && view.context.reminded?.diagnosis === 4 ? view : undefined;
    }, 'every level of the chain');

    // Never before its deadline; the approval deadline is where the card put it.
    expect(Date.parse(done.context.deadlines.diagnosisApproval!)).toBe(Date.parse(parked.deadlines.diagnosisApproval!));
    expect(done.context.deadlines.reminder).toBeUndefined();
    const posts = chat.reminders();
    expect(posts.map((p) => [p.chatId, p.card.mentions?.map((m) => m.id) ?? []])).toEqual([
      ['ops', [ONCALL]],
      ['ops', [LEAD]],
      [GROUP, []],
      ['ops', []],
      ['ops', [BOSS]],
    ]);
    // In the card's thread; the group gets its own post naming the incident and how to decide.
    expect(posts.filter((p) => p.chatId === 'ops').every((p) => p.replyTo === 'card-diagnosis')).toBe(true);
    expect(posts[2]!.card.title).toBe(`[HIGH] Reminder · ${id}`);
    expect(posts[2]!.card.sections.join('\n')).toContain(`/approve ${id} diagnosis`);
    expect(posts[3]!.card.sections.join('\n')).toContain(`Also posted to ${GROUP.replace(/_/g, '\\_')}`);
    expect(posts[1]!.zh.title).toBe(`[HIGH] 提醒 · ${id}`);
    // Chain levels are escalations: a high incident also sends the urgent notification to their people.
    expect(chat.urgents.map((u) => u.userIds)).toEqual([[LEAD], [BOSS]]);

    const timeline = await a.h.store.timeline(id);
    const reminded = timeline.filter((e) => e.eventType === 'xstate.done.actor.remindDiagnosis');
    expect(reminded.map((e) => [e.fromState, e.toState, (e.payload.output as { level: number }).level])).toEqual(
      [0, 1, 2, 3].map((level) => ['open.remindingDiagnosis', 'open.awaitingDiagnosisApproval', level]),
    );
    expect(eventLabel('xstate.done.actor.remindDiagnosis')).toEqual({ en: 'Reminded the on-call about the diagnosis', 'zh-CN': '已提醒值班人员确认诊断' });
  });

  it('stops when someone decides; the next card is reminded from its first level', async () => {
    const chat = new RecordingChat();
    const a = await instance({ db: await database(), chat, chain: [{ to: 'sre-leads', afterMs: 60_000 }] });
    const id = await parkAtDiagnosis(a);
    await a.h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    const fix = { summary: 'restart', rationale: 'r', riskClaim: 'medium', steps: [{ pluginId: 'http.call', args: {}, summary: 'restart' }], verification: [] };
    await settle(a, id, [
      ['propose', { fixable: true, proposal: fix }],
      ['evaluatePolicy', { action: 'require_approval', risk: 'medium', reasons: ['ask'], approvalsRequired: 1 }],
      ['sendProposalCard', { messageId: 'card-proposal' }],
    ]);
    await stateOf(a.h, id, 'open.awaitingProposalApproval');
    await sweepUntil([a], () => (chat.reminders('proposal').length > 0 ? true : undefined), 'the fix card’s reminder');
    await stateOf(a.h, id, 'open.awaitingProposalApproval', (c) => c.reminded?.proposal === 1);
    // The diagnosis was decided before its reminder was due (and that deadline passed long before this one).
    expect(chat.reminders('diagnosis')).toEqual([]);
    expect(chat.reminders('proposal').map((p) => p.card.mentions?.map((m) => m.id))).toEqual([[ONCALL]]);
    expect(chat.reminders('proposal')[0]!.card.sections[0]).toMatch(/^The proposed fix has waited \d+ minutes?/);
    await a.h.runtime.send(id, { type: 'proposal.approved', ...by });
    await stateOf(a.h, id, 'remediating.executing');
  });

  it('takes a decision sent while a reminder is being posted, and reminds no further', async () => {
    const chat = new RecordingChat();
    let release = () => {};
    chat.held = new Promise<void>((resolve) => (release = resolve));
    const a = await instance({ db: await database(), chat, chain: [{ to: 'sre-leads', afterMs: 1_000 }] });
    const id = await parkAtDiagnosis(a);
    await sweepUntil([a], async () => ((await a.h.runtime.get(id))?.state === 'open.remindingDiagnosis' ? true : undefined), 'the reminder to start');
    // The click waits (bounded) for the incident to be back where it takes the decision.
    const decided = a.h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    setTimeout(release, 100);
    await decided;
    const view = await stateOf(a.h, id, 'open.proposing');
    expect(view.context.reminded?.diagnosis).toBe(1);
    expect(view.context.approvals.diagnosis?.by.id).toBe('ou_alice');
    expect(chat.reminders().map((p) => p.key)).toEqual([`${id}/1/reminder-diagnosis-0`]);
    const timeline = (await a.h.store.timeline(id)).map((e) => e.eventType);
    expect(timeline.slice(-2)).toEqual(['xstate.done.actor.remindDiagnosis', 'diagnosis.approved']);
  });

  it('fires after a restart between arming and firing, once', async () => {
    const db = await database();
    const chat = new RecordingChat();
    const first = await instance({ db, chat });
    const id = await parkAtDiagnosis(first);
    await first.close();
    expect(chat.reminders()).toEqual([]);

    const second = await instance({ db, chat });
    await sweepUntil([second], async () => ((await second.h.runtime.get(id))?.context.reminded?.diagnosis === 1 ? true : undefined), 'the reminder');
    await stateOf(second.h, id, 'open.awaitingDiagnosisApproval');
    expect(chat.reminders().map((p) => p.key)).toEqual([`${id}/1/reminder-diagnosis-0`]);
  });

  it('sends one reminder when two instances sweep the same due incident', async () => {
    const db = await database();
    const chat = new RecordingChat();
    const prefix = `reminders-${Date.now()}`;
    const leases = () => {
      const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
      redis.on('error', () => undefined);
      cleanups.push(() => Promise.resolve(redis.disconnect()));
      return new RedisLeases(redis, { ttlMs: 2_000, prefix, logger });
    };
    const a = await instance({ db, chat, leases: leases() });
    const b = await instance({ db, chat, leases: leases() });
    const id = await parkAtDiagnosis(a);
    await eventually(() => (a.h.runtime.isLive(id) ? undefined : true), 'the parked incident to leave memory');
    await sweepUntil([a, b], async () => ((await a.h.runtime.get(id))?.context.reminded?.diagnosis === 1 ? true : undefined), 'the reminder');
    await stateOf(a.h, id, 'open.awaitingDiagnosisApproval');
    expect(chat.reminders()).toHaveLength(1);
  });

  it('loads an incident parked before reminders existed, and escalates it at its deadline with no reminder', async () => {
    const db = await database();
    const chat = new RecordingChat();
    const a = await instance({ db, chat, remindAfterMs: 3_600_000 });
    const id = await parkAtDiagnosis(a);
    await eventually(() => (a.h.runtime.isLive(id) ? undefined : true), 'the parked incident to leave memory');
    // The row as the chart before reminders wrote it: no reminder timer, count, deadline or REMIND_AFTER; due now.
    const row = (await a.h.store.load(id))!;
    const snapshot = row.snapshot as { children: Record<string, unknown>; context: IncidentContext };
    const { diagnosisReminderTimer: _timer, ...children } = snapshot.children;
    const { reminded: _count, ...context } = snapshot.context;
    const { reminder: _deadline, ...deadlines } = context.deadlines;
    const { reminder: _after, ...timeouts } = context.timeouts;
    const due = new Date(Date.now() - 1_000);
    const old = { ...snapshot, children, context: { ...context, timeouts, deadlines: { ...deadlines, diagnosisApproval: due.toISOString() } } };
    expect(Object.keys(children)).toEqual(['diagnosisApprovalTimer']);
    await a.h.orm.em.fork().getConnection().execute('update incidents set snapshot = ?, wake_at = ? where id = ?', [JSON.stringify(old), due, id]);

    await a.h.sweeper.sweep();
    await settle(a, id, [['announceEscalation', { messageId: 'card-escalated' }]]);
    const escalated = await stateOf(a.h, id, 'escalated');
    expect(escalated.context.escalation?.reason).toBe('Nobody confirmed the diagnosis in time');
    expect(chat.reminders()).toEqual([]);
  });
});

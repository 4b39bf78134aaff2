import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { DeliveryReplayer } from '../../src/intake/delivery-replayer';
import { accessFrom, builtinPolicy } from '../../src/policy';
import { IncidentPageActions, pageActionKey, PAGE_ACTION_KIND, withPageActions } from '../../src/server/console/incident-page-actions';
import { InboundStore } from '../../src/store/inbound-store';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { ALERT_TEXT, APPROVER, larkInbound, messageEvent, RecordingChat } from '../support/lark-inbound-kit';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { englishChats } from '../support/languages';

const USER = 'ops-alice';
const CONSOLE = { 'x-ai-fixer-console': '1' };

interface Label {
  en: string;
  'zh-CN': string;
}
interface TimelineRow {
  kind: 'transition' | 'agent';
  actor: string;
  what: Label;
  from: Label | null;
  to: Label | null;
  raw: { eventType?: string; fromState?: string | null; toState?: string; activity?: string; detail: unknown };
}
interface Details {
  incident: { id: string; state: string; phase: { id: string; label: Label } };
  timeline: TimelineRow[];
}

const isLabel = (value: unknown) => {
  const label = value as Label;
  return typeof label?.en === 'string' && label.en.length > 0 && typeof label['zh-CN'] === 'string' && label['zh-CN'].length > 0;
};

describe('the incident page API', () => {
  let db: TestDatabase;
  let app: App;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', CONSOLE_USER: USER, APPROVER_IDS: USER, CONSOLE_TRUST_LOOPBACK: 'true', LANGUAGE: 'en', TIMEZONE: 'UTC' });
    app = await startApp(config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
    base = `http://127.0.0.1:${app.httpPort}/api/console`;
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  async function call<T>(path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...CONSOLE, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function incidentAwaitingDiagnosis(sampleId: string): Promise<string> {
    await call('/messages', { id: sampleId, sample: 'alertmanager' });
    return eventually(async () => {
      const { body } = await call<{ incidents: { id: string; phase: { id: string } }[] }>('/incidents');
      return body.incidents.find((row) => row.phase.id === 'awaitingDiagnosisApproval')?.id;
    }, 'an incident waiting for its diagnosis to be confirmed', 20_000);
  }

  it('speaks in phase and event labels, in every language, with the recorded event kept under raw', async () => {
    const id = await incidentAwaitingDiagnosis('labels-sample-0001');
    const { body: list } = await call<{ incidents: { id: string; state: string; phase: { id: string; label: Label } }[] }>('/incidents');
    const row = list.incidents.find((incident) => incident.id === id);
    expect(row?.phase).toEqual({ id: 'awaitingDiagnosisApproval', label: { en: 'Waiting for someone to confirm the diagnosis', 'zh-CN': '等待确认诊断' } });

    const { body: brief } = await call<{ phase: { id: string } }>(`/incident?brief&id=${id}`);
    expect(brief.phase.id).toBe('awaitingDiagnosisApproval');

    const { body } = await call<Details>(`/incident?id=${id}`);
    expect(body.incident.phase.id).toBe('awaitingDiagnosisApproval');
    expect(body.incident.state).toBe('open.awaitingDiagnosisApproval'); // for the statechart only
    const transitions = body.timeline.filter((entry) => entry.kind === 'transition');
    expect(transitions.length).toBeGreaterThan(3);
    for (const entry of body.timeline) {
      expect(isLabel(entry.what), JSON.stringify(entry)).toBe(true);
      expect(entry.what.en).not.toMatch(/xstate\.|^[a-z]+\.[a-z]+$|happened that this version does not know/);
    }
    for (const entry of transitions) {
      expect(isLabel(entry.to)).toBe(true);
      expect(entry.raw.eventType).toEqual(expect.any(String));
      expect(entry.raw.toState).toEqual(expect.any(String));
    }
    const [first] = transitions;
    expect(first).toMatchObject({ what: { en: 'Alert received' }, from: null, to: { en: 'Checking whether the alert is a new problem' }, raw: { eventType: 'alert.received', toState: 'open.triaging' } });
    const posted = transitions.find((entry) => entry.raw.eventType === 'xstate.done.actor.sendDiagnosisCard');
    expect(posted).toMatchObject({ what: { en: 'Diagnosis card posted' }, from: { en: 'Posting the diagnosis' }, to: { en: 'Waiting for someone to confirm the diagnosis' } });
  });

  it('applies a decision POSTed twice with the same id once, also when the two race', async () => {
    const id = await incidentAwaitingDiagnosis('repeat-sample-0001');
    const post = () => call<{ reply: string; repeated: boolean }>('/incident/action', { id: 'page-click-000001', incidentId: id, type: 'incident.escalate', text: 'on it' });
    const [first, second] = await Promise.all([post(), post()]);
    const third = await post();
    const answers = [first, second, third].map((answer) => answer.body);
    expect(answers.filter((answer) => !answer.repeated)).toEqual([{ reply: expect.stringContaining(`Escalated ${id}.`) as unknown, repeated: false }]);
    expect(answers.filter((answer) => answer.repeated)).toHaveLength(2);
    const { body } = await call<Details>(`/incident?id=${id}`);
    const escalations = body.timeline.filter((entry) => entry.raw.eventType === 'incident.escalate');
    expect(escalations).toMatchObject([{ actor: USER, what: { en: 'Escalated' } }]);
  });
});

/** Short, so that the test need not wait 30 s for a dead instance's claim to be presumed abandoned. */
const STALE_MS = 300;

describe('an incident-page click abandoned by an instance that died', () => {
  let service: FlakyService;
  let h: WorkflowHarness;
  let store: InboundStore;

  beforeAll(async () => {
    service = await startFlakyService();
    h = await createWorkflowHarness({ targets: flakyTargets(service.url) });
    store = new InboundStore(h.orm);
  });
  afterAll(async () => {
    await h.close();
    await service.close();
  });
  beforeEach(async () => {
    await h.orm.em.fork().getConnection().execute('truncate incidents, incident_events, inbound_events cascade');
  });

  async function awaitingDiagnosisApproval(): Promise<string> {
    const inbound = larkInbound(h, new RecordingChat());
    await inbound.handleEvent(messageEvent('om_alert', ALERT_TEXT));
    await inbound.close();
    const [opened] = await h.runtime.listOpen();
    if (!opened) throw new Error('no incident was opened');
    await eventually(async () => ((await h.runtime.get(opened.id))?.state === 'open.awaitingDiagnosisApproval' ? true : undefined), 'the diagnosis card');
    return opened.id;
  }

  /** The other instance: its page actions, and the web channel's replayer over them and the web chat. */
  function survivor() {
    const access = accessFrom(() => builtinPolicy({ autoExecuteLowRisk: false, approverIds: [APPROVER], dryRun: false }));
    const actions = new IncidentPageActions({ service: h.runtime, decisions: access, user: 'someone-else', inbound: store, logger: h.logger, staleClaimMs: STALE_MS, languages: englishChats() });
    const chat = { replay: () => Promise.resolve(false) };
    const replayer = new DeliveryReplayer({ channel: 'web', inbound: store, target: withPageActions(chat, actions), logger: h.logger, staleAfterMs: STALE_MS });
    return { actions, replayer };
  }

  it('is applied by the web channel replayer, once, as the person who clicked', async () => {
    const id = await awaitingDiagnosisApproval();
    const click = { id: 'page-click-dead01', incidentId: id, type: 'diagnosis.approved' as const, text: 'looks right', by: APPROVER };
    // What the dead instance left: the click's claim, taken with the click kept, never completed.
    expect(await store.claimDelivery(pageActionKey(click.id), { staleAfterMs: STALE_MS, replay: { channel: 'web', kind: PAGE_ACTION_KIND, data: click } })).toBe('claimed');

    const { actions, replayer } = survivor();
    expect(await replayer.sweep()).toBe(0); // its holder may still be at work
    await sleep(STALE_MS * 2);
    expect(await replayer.sweep()).toBe(1);
    const view = await h.runtime.get(id);
    expect(view?.context.approvals.diagnosis).toMatchObject({ by: { id: APPROVER }, comment: 'looks right' });

    // The browser retries its POST: taken already, nothing is applied again.
    const { id: clickId, incidentId, type, text } = click;
    await expect(actions.apply({ id: clickId, incidentId, type, text })).resolves.toMatchObject({ repeated: true });
    await sleep(STALE_MS * 2);
    expect(await replayer.sweep()).toBe(0);
    const approvals = (await h.store.timeline(id)).filter((event) => event.eventType === 'diagnosis.approved');
    expect(approvals).toHaveLength(1);
  });
});

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatRouter } from '../../src/chat/core/chat-router';
import { accessFrom, builtinPolicy } from '../../src/policy';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { APPROVER, RecordingChat } from '../support/lark-inbound-kit';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { LateChat, larkDriver, newWebChat, terminalDriver, webDriver } from './chat-adapter-drivers';
import type { AdapterDriver, DriverDeps } from './chat-adapter-drivers';

/**
 * The same scenarios against every chat adapter (Lark, the web console, the terminal), each driven
 * the way its platform drives it, over one chat core on the real runtime and Postgres.
 */

const TYPED_ALERT = '[critical] checkout returns 503 service=checkout';
const access = accessFrom(() => builtinPolicy({ autoExecuteLowRisk: false, approverIds: [APPROVER], dryRun: false }));

let service: FlakyService;
let h: WorkflowHarness;
let deps: DriverDeps;

beforeAll(async () => {
  service = await startFlakyService();
  // Cards for the web console's chat are stored in its WebChat (its clicks are checked against them); the rest are recorded.
  const cards = new LateChat();
  h = await createWorkflowHarness({ targets: flakyTargets(service.url), chat: cards });
  const webChat = newWebChat(h);
  cards.target = new ChatRouter(new RecordingChat(), [{ chat: webChat, chatId: webChat.chatId, messagePrefix: 'web-' }]);
  const diagnosisCard = (incidentId: string) =>
    eventually(async () => (await h.runtime.get(incidentId))?.context.cards.diagnosis, `the diagnosis card of ${incidentId}`);
  deps = { h, access, webChat, diagnosisCard };
});
afterAll(async () => {
  await h.close();
  await service.close();
});

const adapters: [string, (deps: DriverDeps) => AdapterDriver][] = [
  ['lark', larkDriver],
  ['web', webDriver],
  ['terminal', terminalDriver],
];

describe.each(adapters)('the %s adapter over the chat core', (_name, makeDriver) => {
  let chat: AdapterDriver;
  beforeEach(async () => {
    await h.orm.em.fork().getConnection().execute('truncate incidents, incident_events, inbound_events, web_messages cascade');
    chat = makeDriver(deps);
  });
  afterEach(async () => {
    await chat.close();
  });

  const openIncidents = async () => (await h.runtime.listOpen()).filter((view) => view.chatId === chat.chatId);

  /** An incident opened from `text`, once its diagnosis card waits for a person. */
  async function openedFrom(text: string) {
    await chat.personSays(text);
    return eventually(async () => {
      const [opened] = await openIncidents();
      return opened?.context.cards.diagnosis && opened.accepts.includes('diagnosis.approved') ? opened : undefined;
    }, 'the incident to wait for its diagnosis to be approved');
  }

  it('opens one incident for an alert, with the same title from the same text as every other chat', async () => {
    await chat.personSays(TYPED_ALERT);
    const open = await openIncidents();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ title: 'checkout returns 503', severity: 'critical', service: 'checkout' });
  });

  it('takes a repeated delivery once', async () => {
    const first = await chat.personSays(TYPED_ALERT, 'same-delivery');
    const again = await chat.personSays(TYPED_ALERT, 'same-delivery');
    expect(again).toBe(first);
    const open = await openIncidents();
    expect(open).toHaveLength(1);
    expect(open[0]?.context.repeats ?? 0).toBe(0);
    expect((await h.store.timeline(open[0]!.id)).filter((event) => event.eventType === 'alert.received')).toHaveLength(1);
  });

  it('answers /status <id> in the same chat, under the command', async () => {
    const { id } = await openedFrom(TYPED_ALERT);
    const asked = await chat.personSays(`/status ${id}`);
    const [answer] = await eventually(async () => {
      const answers = await chat.answersTo(asked);
      return answers.length ? answers : undefined;
    }, 'the answer to /status');
    expect(answer).toContain(id);
  });

  it("applies a person's decision the chart accepts, then refuses one it no longer accepts", async () => {
    const { id } = await openedFrom(TYPED_ALERT);
    expect(await chat.decide(APPROVER, id, 'diagnosis.approved')).not.toBe('');
    const approved = await h.runtime.get(id);
    expect(approved?.context.approvals.diagnosis?.by.id).toBe(APPROVER);

    const refused = await chat.decide(APPROVER, id, 'diagnosis.rejected');
    expect(refused).toMatch(/already approved|cannot take|no longer applies|not on that card/);
    const timeline = await h.store.timeline(id);
    expect(timeline.filter((event) => event.eventType === 'diagnosis.rejected')).toEqual([]);
    expect((await h.runtime.get(id))?.context.approvals.diagnosis?.by.id).toBe(APPROVER);
  });

  it('refuses a decision from someone who may not decide, and changes nothing', async () => {
    const { id } = await openedFrom(TYPED_ALERT);
    const before = await h.runtime.get(id);
    expect(await chat.decide('ou_mallory', id, 'diagnosis.approved')).toMatch(/^Only people holding operator or admin may decide on a diagnosis/);
    expect(await h.runtime.get(id)).toMatchObject({ state: before?.state, version: before?.version });
  });

  it("ignores the bot's own messages", async () => {
    if (!chat.botSays) return; // The terminal has one writer, the person at it: the bot's output is never read back.
    await chat.botSays(TYPED_ALERT);
    expect(await openIncidents()).toEqual([]);
  });
});

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { larkCallbackResponse } from '../../src/chat/lark/lark-inbound';
import { accessFrom, builtinPolicy } from '../../src/policy';
import type { LarkInbound } from '../../src/chat/lark/lark-inbound';
import { ALERT_TEXT, APPROVER, CHAT, clickEvent, detectTaggedAlerts, larkInbound, messageEvent, RecordingChat } from '../support/lark-inbound-kit';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { SAMPLE_OUTPUTS } from '../paths/sample-outputs';
import { ControllableActors } from '../support/controllable-actors';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import type { CardButton } from '../../src/chat/core/card';
import type { ClickAnswer } from '../../src/chat/core/chat-message';

describe('LarkInbound on the real runtime', () => {
  let service: FlakyService;
  let h: WorkflowHarness;
  let chat: RecordingChat;
  let inbound: LarkInbound;

  beforeAll(async () => {
    service = await startFlakyService();
    h = await createWorkflowHarness({ targets: flakyTargets(service.url) });
  });
  afterAll(async () => {
    await h.close();
    await service.close();
  });
  beforeEach(async () => {
    await h.orm.em.fork().getConnection().execute('truncate incidents, incident_events, inbound_events cascade');
    chat = new RecordingChat();
    inbound = larkInbound(h, chat);
  });
  afterEach(async () => {
    await inbound.close();
  });

  async function stateOf(id: string, state: string) {
    return eventually(async () => {
      const view = await h.runtime.get(id);
      return view?.state === state ? view : undefined;
    }, `${id} to reach ${state}`);
  }

  /** An incident opened from a chat alert and waiting for its diagnosis to be approved. */
  async function awaitingApproval(messageId = 'om_alert') {
    await inbound.handleEvent(messageEvent(messageId, ALERT_TEXT));
    const [opened] = await h.runtime.listOpen();
    if (!opened) throw new Error('no incident was opened');
    const view = await stateOf(opened.id, 'open.awaitingDiagnosisApproval');
    const card = view.context.cards.diagnosis;
    if (!card) throw new Error('no diagnosis card was recorded');
    return { id: view.id, card, version: view.version };
  }

  describe('messages', () => {
    it('opens one incident for an alert, reacts "working" on it, and ignores every redelivery', async () => {
      const event = messageEvent('om_alert', ALERT_TEXT, { eventId: 'ev_alert' });
      await Promise.all([inbound.handleEvent(event), inbound.handleEvent(event)]);
      await inbound.handleEvent(event);
      // The same message through the other door (the chat history reader) is the same message.
      await inbound.handleMessage({ messageId: 'om_alert', chatId: CHAT, msgType: 'text', content: {}, sender: { kind: 'bot', id: 'cli_x' }, mentionsBot: false, createTime: 0, text: ALERT_TEXT });

      const open = await h.runtime.listOpen();
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ chatId: CHAT, title: 'checkout returns 503', severity: 'high', service: 'checkout' });
      expect(open[0]?.context.alertMessageId).toBe('om_alert');
      await eventually(() => (chat.reactions.length > 0 ? true : undefined), 'the reaction');
      await inbound.close();
      expect(chat.reactions).toEqual([{ messageId: 'om_alert', reaction: 'working' }]);
      const timeline = await h.store.timeline(open[0]!.id);
      expect(timeline[0]).toMatchObject({ eventType: 'alert.received', actor: 'ou_alice' });
    });

    it('ignores people chatting, quietly', async () => {
      await inbound.handleEvent(messageEvent('om_chat', 'anyone up for lunch?'));
      await inbound.close();
      expect(await h.runtime.listOpen()).toEqual([]);
      expect(chat.texts).toEqual([]);
      expect(chat.reactions).toEqual([]);
    });

    it('answers a command in the thread of the command, once', async () => {
      const event = messageEvent('om_help', '/help', { mentionBot: true });
      await inbound.handleEvent(event);
      await inbound.handleEvent(event);
      await inbound.close();
      expect(chat.texts).toHaveLength(1);
      expect(chat.texts[0]).toMatchObject({ chatId: CHAT, key: 'reply:om_help', options: { replyTo: 'om_help' } });
      expect(chat.texts[0]?.text).toContain('/approve <id> diagnosis|fix');
    });

    it('answers /status with where the incident stands', async () => {
      const { id } = await awaitingApproval();
      await inbound.handleEvent(messageEvent('om_status', `/status ${id}`));
      const reply = await eventually(() => chat.texts.find((t) => t.options?.replyTo === 'om_status'), 'the reply');
      expect(reply.text).toContain(`${id}: Waiting for someone to confirm the diagnosis`);
    });

    it('opens an incident by hand with /diag, before answering', async () => {
      await inbound.handleEvent(messageEvent('om_diag', '/diag [critical] payments queue stuck service=payments'));
      const [opened] = await h.runtime.listOpen();
      expect(opened).toMatchObject({ severity: 'critical', service: 'payments', chatId: CHAT });
      expect(opened?.context.alertMessageId).toBe('om_diag');
      const reply = await eventually(() => chat.texts.find((t) => t.options?.replyTo === 'om_diag'), 'the reply');
      expect(reply.text).toContain(`Opened ${opened?.id}`);
    });

    it('refuses a typed decision from someone not on the approver list', async () => {
      const { id, version } = await awaitingApproval();
      await inbound.handleEvent(messageEvent('om_sneaky', `/approve ${id} diagnosis`, { sender: 'ou_mallory' }));
      const reply = await eventually(() => chat.texts.find((t) => t.options?.replyTo === 'om_sneaky'), 'the reply');
      expect(reply.text).toMatch(/^Only people holding operator or admin may decide on a diagnosis \(you hold no role\)/);
      expect(await h.runtime.get(id)).toMatchObject({ state: 'open.awaitingDiagnosisApproval', version });
    });

    it('gives the claim back when handling fails, so the redelivery is taken', async () => {
      let failures = 1;
      const flaky = larkInbound(h, chat, {
        detectAlerts: (m) => {
          if (failures-- > 0) throw new Error('detector unavailable');
          return detectTaggedAlerts(m);
        },
      });
      const event = messageEvent('om_retry', ALERT_TEXT, { eventId: 'ev_retry' });
      await expect(flaky.handleEvent(event)).rejects.toThrow('detector unavailable');
      expect(await h.runtime.listOpen()).toEqual([]);
      await flaky.handleEvent(event);
      await flaky.close();
      expect(await h.runtime.listOpen()).toHaveLength(1);
    });

    it('acknowledges a malformed event and changes nothing', async () => {
      const broken = { schema: '2.0', header: { event_id: 'ev_broken', event_type: 'im.message.receive_v1' }, event: { message: {} } };
      await expect(inbound.handleEvent(broken)).resolves.toBeUndefined();
      expect(await h.runtime.listOpen()).toEqual([]);
    });
  });

  describe('card clicks', () => {
    it('an approver\'s click sends the decision and gets the decided card back', async () => {
      const { id, card } = await awaitingApproval();
      const answer = await inbound.handleEvent(clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: card }));

      expect(enToast(answer)).toMatchObject({ type: 'success', content: expect.stringContaining('Diagnosis approved') as unknown });
      expect(answer?.card?.en.buttons).toEqual([]);
      expect(answer?.card?.en.title).toContain(id);
      expect(answer?.card?.en.sections.at(-1)).toMatch(/^\*\*Diagnosis approved\*\* by ou\\_approver at /);
      const view = await h.runtime.get(id);
      expect(view?.context.approvals.diagnosis).toMatchObject({ by: { id: APPROVER }, source: { kind: 'card', messageId: card } });
      const timeline = await h.store.timeline(id);
      expect(timeline.find((e) => e.eventType === 'diagnosis.approved')?.actor).toBe(APPROVER);

      // What the webhook or long connection hands back to Lark.
      const response = larkCallbackResponse(answer, 'en');
      expect(response.toast).toEqual({ type: 'success', content: answer?.toast.content.en, i18n: { zh_cn: answer?.toast.content['zh-CN'], en_us: answer?.toast.content.en } });
      expect(response.card).toMatchObject({ type: 'raw', data: { schema: '2.0' } });
      expect(JSON.stringify(response.card)).not.toContain('"tag":"button"');
      expect(larkCallbackResponse(undefined, 'en')).toEqual({});
    });

    it('refuses a clicker who is not an approver, and nothing is sent', async () => {
      const { id, card, version } = await awaitingApproval();
      const answer = await inbound.handleEvent(clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: card, operator: 'ou_mallory' }));
      expect(enToast(answer)).toEqual({ type: 'error', content: expect.stringMatching(/^Only people holding operator or admin/) as unknown });
      expect(await h.runtime.get(id)).toMatchObject({ state: 'open.awaitingDiagnosisApproval', version });
    });

    it('answers a second click with a warning saying why, and changes nothing', async () => {
      const { id, card } = await awaitingApproval();
      await inbound.handleEvent(clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: card }));
      const settled = await stateOf(id, 'open.awaitingProposalApproval');

      const again = await inbound.handleEvent(clickEvent({ incidentId: id, action: 'diagnosis.rejected', messageId: card }));
      expect(enToast(again)).toEqual({ type: 'warning', content: `The diagnosis of ${id} was already approved by ${APPROVER}.` });
      expect(again?.toast.content['zh-CN']).toBe(`${id} 的诊断已由 ${APPROVER} 批准。`);
      expect(again?.card).toBeUndefined();
      expect(await h.runtime.get(id)).toMatchObject({ state: 'open.awaitingProposalApproval', version: settled.version });
    });

    it('answers a click on a stale card or an earlier attempt with a warning, and changes nothing', async () => {
      const { id, card, version } = await awaitingApproval();
      const stale = await inbound.handleEvent(clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: 'om_old_card' }));
      expect(enToast(stale)).toMatchObject({ type: 'warning', content: expect.stringContaining('out of date') as unknown });
      const earlier = await inbound.handleEvent(clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: card, attempt: 2 }));
      expect(enToast(earlier)).toMatchObject({ type: 'warning', content: expect.stringContaining('made for attempt 2') as unknown });
      expect(await h.runtime.get(id)).toMatchObject({ state: 'open.awaitingDiagnosisApproval', version });
    });

    it('answers a button the incident cannot take now with the state it is in', async () => {
      const { id, card, version } = await awaitingApproval();
      const answer = await inbound.handleEvent(clickEvent({ incidentId: id, action: 'incident.retry', messageId: card }));
      expect(enToast(answer)).toEqual({ type: 'warning', content: `${id} has moved on (now: Waiting for someone to confirm the diagnosis); this button no longer applies.` });
      expect(await h.runtime.get(id)).toMatchObject({ version });
    });

    it('acknowledges a redelivered click without applying it twice', async () => {
      const { id, card } = await awaitingApproval();
      const click = clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: card, eventId: 'ev_click' });
      expect((await inbound.handleEvent(click))?.toast.type).toBe('success');
      expect(enToast(await inbound.handleEvent(click))).toEqual({ type: 'info', content: 'Already received this click.' });
      const approvals = (await h.store.timeline(id)).filter((e) => e.eventType === 'diagnosis.approved');
      expect(approvals).toHaveLength(1);
    });

    it('answers unknown buttons and unknown incidents without sending anything', async () => {
      const unknownAction = await inbound.handleEvent(clickEvent({ incidentId: 'INC-NOPE', action: 'incident.delete', messageId: 'om_x' }));
      expect(unknownAction?.toast.type).toBe('error');
      const unknownIncident = await inbound.handleEvent(clickEvent({ incidentId: 'INC-NOPE', action: 'diagnosis.approved', messageId: 'om_x' }));
      expect(enToast(unknownIncident)).toEqual({ type: 'warning', content: 'No incident INC-NOPE.' });
      const malformed = await inbound.handleEvent({ schema: '2.0', header: { event_id: 'ev_m', event_type: 'card.action.trigger' }, event: {} });
      expect(malformed?.toast.type).toBe('error');
    });
  });
});

describe('a card click while the incident is busy with a step', () => {
  const actors = new ControllableActors();
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ machine: () => actors.machine() });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is answered within the budget and applied in the background, updating the card', async () => {
    const chat = new RecordingChat();
    const inbound = larkInbound(h, chat, { cardAnswerBudgetMs: 100 });
    const alert = { source: 'test', fingerprint: 'busy', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
    const { id } = await h.runtime.create({ alert, chatId: CHAT, by: { id: 'monitor' } });

    // A click that races the card: the runtime holds it until the card is recorded.
    const answer = await inbound.handleEvent(clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: 'msg-diagnosis' }));
    expect(enToast(answer)).toMatchObject({ type: 'info', content: expect.stringContaining('busy') as unknown });

    for (const [invokeId, output] of [
      ['triage', SAMPLE_OUTPUTS.triage?.[0]],
      ['diagnose', SAMPLE_OUTPUTS.diagnose?.[0]],
      ['sendDiagnosisCard', { messageId: 'msg-diagnosis' }],
    ] as const) {
      await eventually(() => (actors.isPending(id, invokeId) ? true : undefined), `${invokeId} to run`);
      actors.settle(id, invokeId, { output });
    }

    await inbound.close();
    expect(chat.updates).toHaveLength(1);
    expect(chat.updates[0]?.messageId).toBe('msg-diagnosis');
    expect(chat.updates[0]?.card.buttons).toEqual([]);
    const view = await h.runtime.get(id);
    expect(view?.context.approvals.diagnosis?.by.id).toBe(APPROVER);
  });
});

describe('card clicks on a fix that needs two approvers', () => {
  const actors = new ControllableActors();
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ machine: () => actors.machine() });
  });
  afterAll(async () => {
    await h.close();
  });

  it('counts the first approval and keeps the buttons, refuses a repeat and a non-approver, runs on the second', async () => {
    const chat = new RecordingChat();
    const access = accessFrom(() => builtinPolicy({ autoExecuteLowRisk: false, approverIds: [APPROVER, 'ou_bob'], dryRun: false }));
    const inbound = larkInbound(h, chat, { access });
    const alert = { source: 'test', fingerprint: 'two-person', title: 'payments down', severity: 'critical', service: 'payments' } as const;
    const { id } = await h.runtime.create({ alert, chatId: CHAT, by: { id: 'monitor' } });
    const settle = async (invokeId: string, output: unknown) => {
      await eventually(() => (actors.isPending(id, invokeId) ? true : undefined), `${invokeId} to run`);
      actors.settle(id, invokeId, { output });
    };
    await settle('triage', SAMPLE_OUTPUTS.triage?.[0]);
    await settle('diagnose', SAMPLE_OUTPUTS.diagnose?.[0]);
    await settle('sendDiagnosisCard', { messageId: 'msg-diagnosis' });
    await eventually(async () => ((await h.runtime.get(id))?.state === 'open.awaitingDiagnosisApproval' ? true : undefined), 'the diagnosis card');
    await inbound.handleEvent(clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: 'msg-diagnosis' }));
    await settle('propose', SAMPLE_OUTPUTS.propose?.[0]);
    const decision = { action: 'require_approval', risk: 'critical', reasons: ['Critical changes never run by themselves.'], approvalsRequired: 2, approvers: { roles: ['operator', 'admin'], ids: [APPROVER, 'ou_bob'] } };
    await settle('evaluatePolicy', decision);
    await settle('sendProposalCard', { messageId: 'msg-proposal' });
    await eventually(async () => ((await h.runtime.get(id))?.state === 'open.awaitingProposalApproval' ? true : undefined), 'the proposal card');
    const click = (operator: string) => inbound.handleEvent(clickEvent({ incidentId: id, action: 'proposal.approved', messageId: 'msg-proposal', operator }));

    const first = await click(APPROVER);
    expect(enToast(first)).toEqual({ type: 'success', content: `Approval counted: 1 of 2. ${id} waits for another approver.` });
    expect(first?.card?.en.buttons.map((b: CardButton) => b.value.action)).toEqual(['proposal.approved', 'proposal.rejected']);
    expect(first?.card?.en.fields).toContainEqual({ label: 'Approvals', value: '1 of 2 (ou\\_approver)' });

    expect(enToast(await click(APPROVER))).toEqual({ type: 'error', content: 'You already approved this fix; it needs 1 more approval from other people.' });
    expect(enToast(await click('ou_carol'))).toMatchObject({ type: 'error', content: expect.stringMatching(/^Only people holding operator or admin may decide on a critical-risk fix/) as unknown });
    expect((await h.runtime.get(id))?.state).toBe('open.awaitingProposalApproval');

    const second = await click('ou_bob');
    expect(enToast(second)).toMatchObject({ type: 'success', content: `Fix approved. ${id} now: Applying the fix.` });
    expect(second?.card?.en.buttons).toEqual([]);
    expect(second?.card?.en.fields).toContainEqual({ label: 'Approvals', value: '2 of 2 (ou\\_approver, ou\\_bob)' });
    await inbound.close();
  });
});

/** A click's toast as an English reader sees it. */
function enToast(answer: ClickAnswer | undefined): { type: string; content: string } | undefined {
  return answer && { type: answer.toast.type, content: answer.toast.content.en };
}

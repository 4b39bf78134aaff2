import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeMessageEvent } from '../../src/chat/lark/event-normalizer';
import { runClaimed } from '../../src/chat/core/claimed-work';
import { DeliveryReplayer } from '../../src/intake/delivery-replayer';
import { InboundStore, MAX_TAKEOVERS } from '../../src/store/inbound-store';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { ALERT_TEXT, APPROVER, BOT, clickEvent, detectTaggedAlerts, larkInbound, messageEvent, RecordingChat } from '../support/lark-inbound-kit';
import { eventually } from '../support/runtime-harness';
import { cipherWith, randomKey } from '../support/sensitive-fix';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

/** Short, so that the tests need not wait 30 s for a dead instance's claim to be presumed abandoned. */
const STALE_MS = 300;

/**
 * An instance that acknowledged a delivery and died before finishing its work leaves exactly this in
 * the database: a claim with the delivery kept, never completed, no longer heartbeaten. Another
 * instance's replayer must finish the work, once.
 */
describe('deliveries abandoned by an instance that died', () => {
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

  /** The other instance: its own intake and replayer on the same database. */
  function survivor() {
    const chat = new RecordingChat();
    const inbound = larkInbound(h, chat, { staleClaimMs: STALE_MS });
    const replayer = new DeliveryReplayer({ channel: 'lark', inbound: store, target: inbound, logger: h.logger, staleAfterMs: STALE_MS });
    return { chat, inbound, replayer };
  }

  async function awaitingDiagnosisApproval(): Promise<string> {
    const { inbound } = survivor();
    await inbound.handleEvent(messageEvent('om_alert', ALERT_TEXT));
    await inbound.close();
    const [opened] = await h.runtime.listOpen();
    if (!opened) throw new Error('no incident was opened');
    await eventually(async () => ((await h.runtime.get(opened.id))?.state === 'open.awaitingDiagnosisApproval' ? true : undefined), 'the diagnosis card');
    return opened.id;
  }

  it('applies and answers a command acknowledged by the dead instance, once', async () => {
    const id = await awaitingDiagnosisApproval();
    const command = normalizeMessageEvent(messageEvent('om_cmd', `/approve ${id} diagnosis`, { sender: APPROVER }), { openId: BOT });
    // What the dead instance left: the command's claim, taken with the message kept, never completed.
    expect(await store.claimDelivery('lark:message:om_cmd', { staleAfterMs: STALE_MS, replay: { channel: 'lark', kind: 'message', data: command } })).toBe('claimed');

    const { chat, inbound, replayer } = survivor();
    expect(await replayer.sweep()).toBe(0); // its holder may still be at work
    await sleep(STALE_MS * 2);
    expect(await replayer.sweep()).toBe(1);
    await inbound.close();

    const view = await h.runtime.get(id);
    expect(view?.context.approvals.diagnosis?.by.id).toBe(APPROVER);
    expect(chat.texts).toHaveLength(1);
    expect(chat.texts[0]).toMatchObject({ key: 'reply:om_cmd', options: { replyTo: 'om_cmd' } });
    expect(chat.texts[0]?.text).toMatch(/approved/i);

    await sleep(STALE_MS * 2);
    expect(await replayer.sweep()).toBe(0); // finished: never replayed again
    const [claim] = await h.orm.em.fork().getConnection().execute<{ done: boolean; replay: unknown }[]>(
      `select done_at is not null as done, replay from inbound_events where key = 'lark:message:om_cmd'`,
    );
    expect(claim).toEqual({ done: true, replay: null });
  });

  it('applies a card click whose answer went out before the dead instance applied it', async () => {
    const id = await awaitingDiagnosisApproval();
    const view = await h.runtime.get(id);
    const click = clickEvent({ incidentId: id, action: 'diagnosis.approved', messageId: view?.context.cards.diagnosis ?? '', eventId: 'ev_click' });
    expect(await store.claimDelivery('lark:event:ev_click', { staleAfterMs: STALE_MS, replay: { channel: 'lark', kind: 'event', data: click } })).toBe('claimed');

    const { inbound, replayer } = survivor();
    await sleep(STALE_MS * 2);
    expect(await replayer.sweep()).toBe(1);
    await inbound.close();
    expect((await h.runtime.get(id))?.context.approvals.diagnosis?.by.id).toBe(APPROVER);
  });

  it('keeps a delivery whose replay failed and finishes it at the next sweep (no sender will redeliver it)', async () => {
    const alert = normalizeMessageEvent(messageEvent('om_alert_2', ALERT_TEXT), { openId: BOT });
    await store.claimDelivery('lark:message:om_alert_2', { staleAfterMs: STALE_MS, replay: { channel: 'lark', kind: 'message', data: alert } });
    let failures = 1;
    const inbound = larkInbound(h, new RecordingChat(), {
      staleClaimMs: STALE_MS,
      detectAlerts: (message) => {
        if (failures-- > 0) throw new Error('detector unavailable');
        return detectTaggedAlerts(message);
      },
    });
    const replayer = new DeliveryReplayer({ channel: 'lark', inbound: store, target: inbound, logger: h.logger, staleAfterMs: STALE_MS });
    await sleep(STALE_MS * 2);
    expect(await replayer.sweep()).toBe(1);
    expect(await h.runtime.listOpen()).toEqual([]);
    expect(await replayer.sweep()).toBe(1); // at once: a failed replay is not waited on like a live holder
    await inbound.close();
    expect(await h.runtime.listOpen()).toHaveLength(1);
  });

  it('keeps the delivery sealed when ENCRYPTION_KEY is set, and replays it opened', async () => {
    const sealing = new InboundStore(h.orm, cipherWith(randomKey()));
    const secretAlert = { text: '[high] db down password=hunter2-replay service=db' };
    await sealing.claimDelivery('lark:message:om_sealed', { staleAfterMs: STALE_MS, replay: { channel: 'lark', kind: 'message', data: secretAlert } });
    const [row] = await h.orm.em.fork().getConnection().execute<{ replay: unknown }[]>(`select replay from inbound_events where key = 'lark:message:om_sealed'`);
    expect(JSON.stringify(row?.replay)).not.toContain('hunter2');
    expect(row?.replay).toMatchObject({ channel: 'lark', kind: 'message', data: { $enc: 'v1' } });
    await sleep(STALE_MS * 2);
    expect(await sealing.unfinished('lark', STALE_MS)).toEqual([{ key: 'lark:message:om_sealed', replay: { channel: 'lark', kind: 'message', data: secretAlert } }]);
    // Without the key it is never handed out as garbage: reported unreadable, and given up by the replayer.
    const [unreadable] = await store.unfinished('lark', STALE_MS);
    expect(unreadable).toMatchObject({ key: 'lark:message:om_sealed', unreadable: expect.any(Error) as unknown });
    const replayer = new DeliveryReplayer({ channel: 'lark', inbound: store, target: survivor().inbound, logger: h.logger, staleAfterMs: STALE_MS });
    expect(await replayer.sweep()).toBe(1);
    expect(await store.unfinished('lark', STALE_MS)).toEqual([]);
  });

  it('leaves alone a claim whose holder is alive and still working', async () => {
    const { replayer } = survivor();
    let swept = 0;
    const outcome = await runClaimed({ inbound: store, logger: h.logger, staleAfterMs: STALE_MS }, 'lark:message:om_slow', { channel: 'lark', kind: 'message', data: {} }, async () => {
      for (let i = 0; i < 8; i++) {
        await sleep(STALE_MS / 2);
        swept += await replayer.sweep();
      }
      return 'done';
    });
    expect(outcome).toEqual({ first: true, value: 'done' });
    expect(swept).toBe(0);
  });

  it('gives up at once a kept delivery its intake cannot replay, instead of trying it every sweep', async () => {
    await store.claimDelivery('lark:message:om_foreign', { staleAfterMs: STALE_MS, replay: { channel: 'lark', kind: 'message', data: { not: 'a message' } } });
    const { inbound, replayer } = survivor();
    await sleep(STALE_MS * 2);
    expect(await replayer.sweep()).toBe(1);
    expect(await store.unfinished('lark', STALE_MS)).toEqual([]);
    await inbound.close();
  });

  it(`gives up a delivery that was taken over ${MAX_TAKEOVERS} times without being finished`, async () => {
    const replay = { channel: 'lark', kind: 'message', data: { not: 'a message' } };
    await store.claimDelivery('lark:message:om_poison', { staleAfterMs: STALE_MS, replay });
    for (let i = 0; i < MAX_TAKEOVERS; i++) {
      await sleep(STALE_MS * 1.5);
      expect(await store.claimDelivery('lark:message:om_poison', { staleAfterMs: STALE_MS })).toBe('claimed');
    }
    await sleep(STALE_MS * 1.5);
    expect(await store.unfinished('lark', STALE_MS)).toEqual([]);
  });
});

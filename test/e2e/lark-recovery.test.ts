import { afterEach, describe, expect, it } from 'vitest';
import type { FakeLark } from '../fakes/lark';
import { startBotInLarkGroup } from '../support/lark-bot';
import { eventually } from '../support/runtime-harness';

const ALERTS = 'oc_alerts00000000000000000000003';
const MONITOR = 'cli_a1b2c3d4e5f60720';
const ALICE = 'ou_alice000000000000000000000003';
const DETAILS = '\nseverity=critical service=checkout instance=10.0.0.7:8080';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(): Promise<FakeLark> {
  return startBotInLarkGroup({ chatId: ALERTS, monitor: MONITOR, approver: ALICE }, (cleanup) => cleanups.push(cleanup));
}

const reactionsOn = (fake: FakeLark, messageId: string) => fake.reactions.filter((r) => r.messageId === messageId).map((r) => r.emojiType);

describe('Recovery in a Lark group', () => {
  it("a monitoring bot's resolved message closes the incident its firing message opened: nobody asked, the card settled", async () => {
    const fake = await setup();
    const firing = fake.postAsBot(ALERTS, { msgType: 'text', content: { text: `[FIRING] checkout returns 503${DETAILS}` }, senderAppId: MONITOR, createTime: fake.now() + 1_000 });
    // The offline engine diagnoses; the card waits for a person.
    const card = await eventually(() => fake.cardsIn(ALERTS).find((c) => JSON.stringify(c.card).includes('Diagnosis ready')), 'the diagnosis card', 30_000);
    expect(JSON.stringify(card.card)).toContain('"tag":"button"');

    const resolved = fake.postAsBot(ALERTS, { msgType: 'text', content: { text: `[RESOLVED] checkout returns 503${DETAILS}` }, senderAppId: MONITOR, createTime: fake.now() + 2_000 });
    await eventually(() => (reactionsOn(fake, firing.messageId).includes('DONE') ? true : undefined), 'the done reaction on the alert', 30_000);
    expect(reactionsOn(fake, resolved.messageId)).toContain('DONE');
    const settled = await eventually(() => {
      const now = fake.cardsIn(ALERTS).find((c) => c.messageId === card.messageId);
      return now && JSON.stringify(now.card).includes('Recovered at source') ? now.card : undefined;
    }, 'the diagnosis card to lose its buttons', 10_000);
    expect(JSON.stringify(settled)).not.toContain('"tag":"button"');
    // Nothing puts the buttons back afterwards (a late count update, say).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(JSON.stringify(fake.cardsIn(ALERTS).find((c) => c.messageId === card.messageId)?.card)).not.toContain('"tag":"button"');
    const announced = await eventually(() => fake.sent.find((m) => JSON.stringify(m.content).includes('recovered at source before anything was changed')), 'the recovery announcement', 10_000);
    expect(announced.replyTo).toBe(firing.messageId);
    expect(fake.cardsIn(ALERTS).filter((c) => JSON.stringify(c.sent).includes('Diagnosis ready'))).toHaveLength(1);
  });
});

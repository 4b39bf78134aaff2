import { afterEach, describe, expect, it } from 'vitest';
import type { FakeLark } from '../fakes/lark';
import { startBotInLarkGroup } from '../support/lark-bot';
import { eventually } from '../support/runtime-harness';

const ALERTS = 'oc_alerts00000000000000000000002';
const MONITOR = 'cli_a1b2c3d4e5f60719';
const ALICE = 'ou_alice000000000000000000000002';
const MALLORY = 'ou_mallory0000000000000000000002';
const ALERT_TEXT = '[FIRING] checkout returns 503\nseverity=critical service=checkout instance=10.0.0.7:8080';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(): Promise<FakeLark> {
  return startBotInLarkGroup({ chatId: ALERTS, monitor: MONITOR, approver: ALICE }, (cleanup) => cleanups.push(cleanup));
}

async function ask(fake: FakeLark, text: string, sender = ALICE): Promise<string> {
  const asked = fake.postAsUser(ALERTS, { text, senderOpenId: sender, mentionBot: true });
  await fake.pushEvent(asked.event);
  const reply = await eventually(() => fake.sent.find((m) => m.replyTo === asked.message.messageId), `the reply to ${text}`, 20_000);
  return JSON.stringify(reply.content);
}

describe('Silences in a Lark group', () => {
  it('a /silence in the group: a matching alert opens no incident and gets the muted reaction', async () => {
    const fake = await setup();
    expect(await ask(fake, '/silence service=checkout 1h deploy', MALLORY)).toMatch(/Only people who may approve a low-risk fix may silence/);
    const created = await ask(fake, '/silence service=checkout severity=~"critical|high" 1h checkout deploy');
    expect(created).toMatch(/Silenced: SIL-[0-9A-Z]{4}/);

    const alert = fake.postAsBot(ALERTS, { msgType: 'text', content: { text: ALERT_TEXT }, senderAppId: MONITOR, createTime: fake.now() + 1_000 });
    await eventually(
      () => (fake.reactions.some((r) => r.messageId === alert.messageId && r.emojiType === 'GeneralDoNotDisturb') ? true : undefined),
      'the silenced reaction',
      20_000,
    );
    expect(fake.reactions.filter((r) => r.messageId === alert.messageId).map((r) => r.emojiType)).toEqual(['GeneralDoNotDisturb']);
    expect(fake.cardsIn(ALERTS)).toHaveLength(0);
    expect(await ask(fake, '/incidents')).toMatch(/No open incidents/);
    expect(await ask(fake, '/silences')).toMatch(/held 1 alert/);
  });
});

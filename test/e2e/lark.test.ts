import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { postWebhook, startFakeLark } from '../fakes/lark';
import type { CardView, FakeLark } from '../fakes/lark';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const ALERTS = 'oc_alerts00000000000000000000001';
const MONITOR = 'cli_a1b2c3d4e5f60718';
const ALICE = 'ou_alice000000000000000000000001';
const MALLORY = 'ou_mallory0000000000000000000001';
const ENCRYPT_KEY = 'test-encrypt-key';
const ALERT_TEXT = '[FIRING] checkout returns 503\nseverity=critical service=checkout instance=10.0.0.7:8080';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  fake: FakeLark;
  service: FlakyService;
  bot: BotProcess;
}

async function setup(mode: 'ws' | 'webhook', before?: (fake: FakeLark) => void): Promise<Setup> {
  const fake = await startFakeLark();
  cleanups.push(() => fake.close());
  before?.(fake);
  const service = await startFlakyService();
  cleanups.push(() => service.close());
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-lark-'));
  const targetsFile = join(dir, 'targets.json');
  const restart = { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true };
  await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart } } } }));
  const bot = await BotProcess.start({
    DATABASE_URL: database.url,
    TARGETS_FILE: targetsFile,
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_EVENT_MODE: mode,
    LARK_ENCRYPT_KEY: ENCRYPT_KEY,
    LARK_ALERT_CHAT_IDS: ALERTS,
    LARK_ALERT_SENDER_IDS: MONITOR,
    LARK_HISTORY_POLL_INTERVAL: '100ms',
    APPROVER_IDS: ALICE,
    VERIFY_INTERVAL: '100ms',
  });
  cleanups.push(() => bot.kill());
  return { fake, service, bot };
}

/** The card the bot posted whose header says `title`, once it is there. */
async function card(fake: FakeLark, title: RegExp): Promise<CardView> {
  return eventually(() => fake.cardsIn(ALERTS).find((c) => title.test(JSON.stringify(c.card))), `a card matching ${title}`, 20_000);
}

/** The callback value of the card's button whose action is `action`. */
function buttonValue(view: CardView, action: string): Record<string, unknown> {
  const found = JSON.stringify(view.card).match(new RegExp(`"value":(\\{[^{}]*"action":"${action.replace('.', '\\.')}"[^{}]*\\})`));
  if (!found?.[1]) throw new Error(`No ${action} button on card ${view.messageId}`);
  return JSON.parse(found[1]) as Record<string, unknown>;
}

describe('Lark over the long connection', () => {
  it('takes an alert a monitoring bot posted, and runs it through both cards to a verified fix', async () => {
    const { fake, service } = await setup('ws');
    await fake.waitForClient();
    await eventually(() => (fake.requests.some((r) => r.method === 'GET' && r.path === '/open-apis/im/v1/messages') ? true : undefined), 'the first history read');
    const alert = fake.postAsBot(ALERTS, { msgType: 'text', content: { text: ALERT_TEXT }, senderAppId: MONITOR, createTime: fake.now() + 1_000 });

    const diagnosis = await card(fake, /Diagnosis ready/);
    expect(diagnosis.sent.replyTo).toBe(alert.messageId);
    await eventually(() => (fake.reactions.some((r) => r.messageId === alert.messageId && r.emojiType === 'OnIt') ? true : undefined), 'working reaction');

    const approve = buttonValue(diagnosis, 'diagnosis.approved');
    const refused = await fake.pushEvent(fake.cardActionEvent({ value: approve, messageId: diagnosis.messageId, chatId: ALERTS, operatorOpenId: MALLORY }));
    expect(JSON.stringify(refused.result)).toMatch(/"type":"error"/);
    expect(fake.cardsIn(ALERTS).filter((c) => /Fix needs approval/.test(JSON.stringify(c.card)))).toHaveLength(0);

    // Armed before the click: the proposal card is the next message posted, and it may go out at once.
    fake.throttleNext(2, { mode: 'code99991400', resetSeconds: 1 });
    fake.dropConnection(); // the click below is pushed while the bot reconnects
    const click = fake.cardActionEvent({ value: approve, messageId: diagnosis.messageId, chatId: ALERTS, operatorOpenId: ALICE });
    const accepted = await fake.pushEvent(click);
    expect(JSON.stringify(accepted.result)).toMatch(/"type":"success"/);
    expect(JSON.stringify(accepted.result)).not.toMatch(/"tag":"button"/);
    const redelivered = await fake.pushEvent(click); // Lark delivering the same event again
    expect(JSON.stringify(redelivered.result)).not.toMatch(/"type":"success"/);
    const again = await fake.pushEvent(fake.cardActionEvent({ value: approve, messageId: diagnosis.messageId, chatId: ALERTS, operatorOpenId: ALICE }));
    expect(JSON.stringify(again.result)).toMatch(/"type":"warning"/);

    const proposal = await card(fake, /Fix needs approval/);
    expect(fake.throttledCount).toBeGreaterThanOrEqual(1);
    await fake.pushEvent(
      fake.cardActionEvent({ value: buttonValue(proposal, 'proposal.approved'), messageId: proposal.messageId, chatId: ALERTS, operatorOpenId: ALICE }),
    );
    await card(fake, /Resolved/);
    expect(service.restarts).toBe(1);
    await eventually(() => (fake.reactions.some((r) => r.messageId === alert.messageId && r.emojiType === 'DONE') ? true : undefined), 'done reaction');
    expect(fake.cardsIn(ALERTS).filter((c) => /Fix needs approval/.test(JSON.stringify(c.card)))).toHaveLength(1);
  });

  it('answers commands typed in the chat in their thread, and a typed decision updates its card', async () => {
    // Also: Lark unreachable for a moment at start-up (the bot-info call is cut twice) does not stop the bot.
    const { fake, bot } = await setup('ws', (f) => f.dropNextSends(2, ['info']));
    expect(bot.logs).toMatch(/could not reach Lark for the bot identity; retrying/);
    const asked = fake.postAsUser(ALERTS, { text: '/incidents', senderOpenId: ALICE, mentionBot: true });
    await fake.pushEvent(asked.event);
    const reply = await eventually(() => fake.sent.find((m) => m.replyTo === asked.message.messageId), 'the reply');
    expect(JSON.stringify(reply.content)).toMatch(/No open incidents/);

    // A multi-line paste: read by the AlertDetector, so the labels on the second line count.
    const opened = fake.postAsUser(ALERTS, { text: `/diag ${ALERT_TEXT}`, senderOpenId: ALICE, mentionBot: true });
    await fake.pushEvent(opened.event);
    const diagnosis = await card(fake, /Diagnosis ready/);
    const [id] = /INC-[0-9A-Z]{8}/.exec(JSON.stringify(diagnosis.card)) ?? [];
    const typed = fake.postAsUser(ALERTS, { text: `/approve ${id} diagnosis`, senderOpenId: ALICE, mentionBot: true });
    await fake.pushEvent(typed.event);
    const typedReply = await eventually(() => fake.sent.find((m) => m.replyTo === typed.message.messageId), 'the reply to /approve');
    expect(JSON.stringify(typedReply.content)).toMatch(/Approved the diagnosis/);
    await card(fake, /Fix needs approval/);
    await eventually(() => fake.patches.find((p) => p.messageId === diagnosis.messageId), 'the diagnosis card update');
    const updated = fake.cardsIn(ALERTS).find((c) => c.messageId === diagnosis.messageId);
    expect(JSON.stringify(updated?.card)).toMatch(/Diagnosis approved/);
    expect(JSON.stringify(updated?.card)).not.toMatch(/"tag":"button"/);
  });
});

describe('Lark over signed webhooks', () => {
  it('opens an incident from an alert pasted by a person who mentions the bot, and rejects forged or stale posts', async () => {
    const { fake, bot } = await setup('webhook');
    const url = `http://127.0.0.1:${bot.httpPort}/lark/events`;
    const forged = fake.postAsUser(ALERTS, { text: ALERT_TEXT, senderOpenId: MALLORY, mentionBot: true });
    expect((await postWebhook(url, forged.event, { encryptKey: ENCRYPT_KEY, tamper: 'signature' })).status).toBe(401);
    expect((await postWebhook(url, forged.event, { encryptKey: ENCRYPT_KEY, tamper: 'timestamp' })).status).toBe(401);

    const pasted = fake.postAsUser(ALERTS, { text: ALERT_TEXT, senderOpenId: ALICE, mentionBot: true });
    expect((await postWebhook(url, pasted.event, { encryptKey: ENCRYPT_KEY })).status).toBe(200);
    expect((await postWebhook(url, pasted.event, { encryptKey: ENCRYPT_KEY })).status).toBe(200); // redelivery
    const diagnosis = await card(fake, /Diagnosis ready/);
    expect(diagnosis.sent.replyTo).toBe(pasted.message.messageId);

    const click = fake.cardActionEvent({ value: buttonValue(diagnosis, 'diagnosis.approved'), messageId: diagnosis.messageId, chatId: ALERTS, operatorOpenId: ALICE });
    const answer = await postWebhook(url, click, { encryptKey: ENCRYPT_KEY });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.json)).toMatch(/"type":"success"/);
    await card(fake, /Fix needs approval/);
    expect(fake.cardsIn(ALERTS).filter((c) => /Diagnosis ready/.test(JSON.stringify(c.card)))).toHaveLength(1);
    expect(fake.messages.filter((m) => m.messageId === forged.message.messageId)).toHaveLength(1);
  });
});

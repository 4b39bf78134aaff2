import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLark } from '../fakes/lark';
import type { CardView, FakeLark } from '../fakes/lark';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const ALERTS = 'oc_alerts00000000000000000000007';
const MONITOR = 'cli_a1b2c3d4e5f60719';
const ALICE = 'ou_alice000000000000000000000007';
const ONCALL = 'ou_oncall00000000000000000000007';
const BACKUP = 'ou_backup00000000000000000000007';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Alice operates, and only operators decide; the weekly rotation names who is on call for them (one person, so the
 * test does not depend on the date). The default roster covers roles without their own, so it is nobody's here.
 */
const OPERATORS = ['operator'];
const POLICY = {
  roles: { operator: [ALICE] },
  decide: { diagnosis: OPERATORS, ignore: OPERATORS, retry: OPERATORS, resolve: OPERATORS },
  oncall: {
    default: { people: [BACKUP] },
    roles: { operator: { rotation: { every: 'week', handoff: 'Mon 10:00', timezone: 'Asia/Shanghai', people: [ONCALL] } } },
  },
};

async function startBot(): Promise<FakeLark> {
  const fake = await startFakeLark();
  cleanups.push(() => fake.close());
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-oncall-'));
  const policyFile = join(dir, 'policy.json');
  await writeFile(policyFile, JSON.stringify(POLICY));
  const bot = await BotProcess.start({
    DATABASE_URL: database.url,
    POLICY_FILE: policyFile,
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_EVENT_MODE: 'ws',
    LARK_ALERT_CHAT_IDS: ALERTS,
    LARK_ALERT_SENDER_IDS: MONITOR,
    LARK_HISTORY_POLL_INTERVAL: '100ms',
  });
  cleanups.push(() => bot.kill());
  await fake.waitForClient();
  await eventually(() => (fake.requests.some((r) => r.method === 'GET' && r.path === '/open-apis/im/v1/messages') ? true : undefined), 'the first history read', 30_000);
  return fake;
}

async function card(fake: FakeLark, title: RegExp): Promise<CardView> {
  return eventually(() => fake.cardsIn(ALERTS).find((c) => title.test(JSON.stringify(c.card))), `a card matching ${title}`, 20_000);
}

/** Posts the alert, waits for its diagnosis card, and has Alice escalate it by command; the escalation card. */
async function escalate(fake: FakeLark, severity: string, service: string): Promise<{ diagnosis: CardView; escalation: CardView }> {
  const text = `[FIRING] ${service} returns 503\nseverity=${severity} service=${service} instance=10.0.0.9:8080`;
  fake.postAsBot(ALERTS, { msgType: 'text', content: { text }, senderAppId: MONITOR, createTime: fake.now() + 1_000 });
  const diagnosis = await card(fake, new RegExp(`Diagnosis ready.*${service}|${service}.*Diagnosis ready`));
  const [id] = /INC-[0-9A-Z]{8}/.exec(JSON.stringify(diagnosis.card)) ?? [];
  const typed = fake.postAsUser(ALERTS, { text: `/escalate ${id} paging people`, senderOpenId: ALICE, mentionBot: true });
  await fake.pushEvent(typed.event);
  const escalation = await card(fake, new RegExp(`Escalated · ${id}`));
  return { diagnosis, escalation };
}

describe('escalation reaches the on-call over Lark', () => {
  it('mentions the on-call on the cards, and sends one urgent notification for a critical escalation and none for a low one', async () => {
    const fake = await startBot();

    const critical = await escalate(fake, 'critical', 'checkout');
    // Cards carry Lark's mention markup, so Lark notifies them and shows their name.
    expect(JSON.stringify(critical.diagnosis.card)).toContain(`<at id=${ONCALL}></at>`);
    expect(JSON.stringify(critical.escalation.card)).toContain(`<at id=${ONCALL}></at>`);
    expect(JSON.stringify(critical.escalation.card)).not.toContain(BACKUP);
    const urgent = await eventually(() => fake.urgents.find((u) => u.messageId === critical.escalation.messageId), 'the urgent call');
    expect(urgent).toEqual({ messageId: critical.escalation.messageId, channel: 'app', userIds: [ONCALL] });

    const low = await escalate(fake, 'low', 'search');
    expect(JSON.stringify(low.escalation.card)).toContain('[LOW] Escalated');
    expect(JSON.stringify(low.escalation.card)).toContain(`<at id=${ONCALL}></at>`);
    // An urgent call follows its card within the same step, milliseconds later; a whole incident run later it has long been made.
    const marker = await escalate(fake, 'critical', 'cart');
    await eventually(() => fake.urgents.find((u) => u.messageId === marker.escalation.messageId), 'the second critical urgent call');
    expect(fake.urgents.filter((u) => u.messageId === low.escalation.messageId)).toEqual([]);
    expect(fake.urgents.filter((u) => u.messageId === critical.escalation.messageId)).toHaveLength(1);
    expect(fake.urgents.every((u) => u.channel === 'app')).toBe(true);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLark } from '../fakes/lark';
import type { CardView, FakeLark } from '../fakes/lark';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const ALERTS = 'oc_alerts00000000000000000000011';
const LEADS_GROUP = 'oc_leads000000000000000000000011';
const MONITOR = 'cli_a1b2c3d4e5f60711';
const ALICE = 'ou_alice000000000000000000000011';
const ONCALL = 'ou_oncall00000000000000000000011';
const LEAD = 'ou_lead0000000000000000000000011';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Operators decide (their on-call is ONCALL); the chain reaches the leads' on-call, then the leads' group. */
const OPERATORS = ['operator'];
const POLICY = {
  roles: { operator: [ALICE], leads: [LEAD] },
  decide: { diagnosis: OPERATORS, ignore: OPERATORS, retry: OPERATORS, resolve: OPERATORS },
  oncall: { roles: { operator: { people: [ONCALL] }, leads: { people: [LEAD] } } },
};

async function startBot(fake: FakeLark, database: TestDatabase, policyFile: string): Promise<BotProcess> {
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
    DEADLINE_SWEEP_INTERVAL: '100ms',
    LANGUAGE: 'en',
    REMIND_AFTER: '2s',
    ESCALATION_CHAIN: `leads:1s,${LEADS_GROUP}:1s`,
  });
  cleanups.push(() => bot.kill());
  return bot;
}

function card(fake: FakeLark, chatId: string, matches: (json: string) => boolean, what: string): Promise<CardView> {
  return eventually(() => fake.cardsIn(chatId).find((c) => matches(JSON.stringify(c.card))), what, 30_000);
}

describe('reminders over Lark', () => {
  it('reminds the on-call in the card’s thread once across a restart, then the chain: the leads’ on-call (urgent) and the leads’ group', async () => {
    const fake = await startFakeLark();
    cleanups.push(() => fake.close());
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const policyFile = join(await mkdtemp(join(tmpdir(), 'aifixer-reminders-')), 'policy.json');
    await writeFile(policyFile, JSON.stringify(POLICY));

    const first = await startBot(fake, database, policyFile);
    await fake.waitForClient();
    const text = '[FIRING] checkout returns 503\nseverity=critical service=checkout instance=10.0.0.9:8080';
    fake.postAsBot(ALERTS, { msgType: 'text', content: { text }, senderAppId: MONITOR, createTime: fake.now() + 1_000 });
    const diagnosis = await card(fake, ALERTS, (json) => /Diagnosis ready/.test(json), 'the diagnosis card');
    const [id = ''] = /INC-[0-9A-Z]{8}/.exec(JSON.stringify(diagnosis.card)) ?? [];
    expect(JSON.stringify(diagnosis.card)).toContain(`<at id=${ONCALL}></at>`);
    // A crash right after the card: the reminder's deadline is in the stored snapshot, and the next start keeps it.
    await first.kill();

    await startBot(fake, database, policyFile);
    const reminder = (json: string) => json.includes(`Reminder · ${id}`);
    const firstReminder = await card(fake, ALERTS, (json) => reminder(json) && json.includes(`<at id=${ONCALL}></at>`), 'the first reminder');
    expect(firstReminder.sent.replyTo).toBeDefined();
    const leads = await card(fake, ALERTS, (json) => reminder(json) && json.includes(`<at id=${LEAD}></at>`), 'the leads’ reminder');
    const urgent = await eventually(() => fake.urgents.find((u) => u.messageId === leads.messageId), 'the leads’ urgent call');
    expect(urgent).toEqual({ messageId: leads.messageId, channel: 'app', userIds: [LEAD] });
    const inGroup = await card(fake, LEADS_GROUP, reminder, 'the reminder in the leads’ group');
    expect(JSON.stringify(inGroup.card)).toContain(`/approve ${id} diagnosis`);
    await card(fake, ALERTS, (json) => reminder(json) && json.includes('Also posted to'), 'the thread’s note of the group post');

    // Each level once, the first one too although the bot restarted between arming and firing it.
    const reminders = fake.cardsIn(ALERTS).filter((c) => reminder(JSON.stringify(c.card)));
    expect(reminders).toHaveLength(3);
    expect(fake.cardsIn(LEADS_GROUP)).toHaveLength(1);
    expect(fake.urgents.filter((u) => reminders.some((r) => r.messageId === u.messageId))).toHaveLength(1);
  });
});

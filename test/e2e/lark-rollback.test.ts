import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKubernetes } from '../fakes/kubernetes-api';
import type { FakeKubernetes } from '../fakes/kubernetes-api';
import { startFakeLark } from '../fakes/lark';
import type { CardView, FakeLark } from '../fakes/lark';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const ALERTS = 'oc_alerts00000000000000000000009';
const MONITOR = 'cli_a1b2c3d4e5f60729';
const ALICE = 'ou_alice000000000000000000000009';
const ALERT_TEXT = '[FIRING] checkout saturated: pods keep crashing\nseverity=high service=checkout';

/**
 * The only runbook the bot knows: checkout is saturated, so scale it from 2 to 4; healthy means no
 * unhealthy pod in shop. Its pods crash-loop whatever their number, so the check fails before and after.
 */
const RUNBOOK = `---
title: Checkout saturated
keywords: [checkout saturated]
remediation:
  - plugin: kubernetes.scale
    args: { target: "{{cluster}}", namespace: shop, deployment: checkout, replicas: 4 }
    summary: Scale checkout up
verification:
  - plugin: kubernetes.pods
    args: { target: "{{cluster}}", namespace: shop }
    expect: [{ path: unhealthy, atMost: 0 }]
---
# Checkout saturated

Add capacity.
`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  fake: FakeLark;
  cluster: FakeKubernetes;
}

async function setup(): Promise<Setup> {
  const fake = await startFakeLark();
  cleanups.push(() => fake.close());
  const cluster = await startFakeKubernetes();
  cleanups.push(() => cluster.close());
  cluster.addNode({ name: 'node-a' });
  cluster.addDeployment({ namespace: 'shop', name: 'checkout', replicas: 2, podStates: ['crashloop', 'crashloop'] });
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-lark-rollback-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'targets.json'), JSON.stringify({ kubernetes: { prod: { server: cluster.url, token: cluster.token, skipTlsVerify: true, namespaces: ['shop'] } } }));
  const runbookDir = await mkdtemp(join(dir, 'runbooks-'));
  await writeFile(join(runbookDir, 'checkout-saturated.md'), RUNBOOK);
  const bot = await BotProcess.start({
    DATABASE_URL: database.url,
    TARGETS_FILE: join(dir, 'targets.json'),
    RUNBOOKS_DIR: runbookDir,
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_EVENT_MODE: 'ws',
    LARK_ALERT_CHAT_IDS: ALERTS,
    LARK_ALERT_SENDER_IDS: MONITOR,
    LARK_HISTORY_POLL_INTERVAL: '100ms',
    APPROVER_IDS: ALICE,
    VERIFY_ATTEMPTS: '2',
    VERIFY_INTERVAL: '100ms',
  });
  cleanups.push(() => bot.kill());
  await fake.waitForClient();
  await eventually(() => (fake.requests.some((r) => r.method === 'GET' && r.path === '/open-apis/im/v1/messages') ? true : undefined), 'the first history read', 30_000);
  return { fake, cluster };
}

/** The card the bot posted whose content matches `title`, once it is there. */
async function card(fake: FakeLark, title: RegExp): Promise<CardView> {
  return eventually(() => fake.cardsIn(ALERTS).find((c) => title.test(JSON.stringify(c.card))), `a card matching ${title}`, 30_000);
}

/** The callback value of the card's button whose action is `action`. */
function buttonValue(view: CardView, action: string): Record<string, unknown> {
  const found = JSON.stringify(view.card).match(new RegExp(`"value":(\\{[^{}]*"action":"${action.replace('.', '\\.')}"[^{}]*\\})`));
  if (!found?.[1]) throw new Error(`No ${action} button on card ${view.messageId}`);
  return JSON.parse(found[1]) as Record<string, unknown>;
}

async function click(fake: FakeLark, view: CardView, action: string): Promise<void> {
  const answer = await fake.pushEvent(fake.cardActionEvent({ value: buttonValue(view, action), messageId: view.messageId, chatId: ALERTS, operatorOpenId: ALICE }));
  expect(JSON.stringify(answer.result)).toMatch(/"type":"success"/);
}

const replicas = (cluster: FakeKubernetes) => cluster.deployment('shop', 'checkout')?.spec.replicas;

describe('a rollback in a Lark group', () => {
  it('scales checkout, finds the fix did not verify, scales it back on approval, and says so in the escalation card', async () => {
    const { fake, cluster } = await setup();
    const alert = fake.postAsBot(ALERTS, { msgType: 'text', content: { text: ALERT_TEXT }, senderAppId: MONITOR, createTime: fake.now() + 1_000 });

    const diagnosis = await card(fake, /Diagnosis ready/);
    expect(diagnosis.sent.replyTo).toBe(alert.messageId);
    await click(fake, diagnosis, 'diagnosis.approved');

    const fix = await card(fake, /Fix needs approval/);
    expect(JSON.stringify(fix.card)).toContain('kubernetes.scale');
    expect(replicas(cluster)).toBe(2);
    await click(fake, fix, 'proposal.approved');

    // The crash-looping pods stay unhealthy at 4 replicas: the fix does not verify, and undoing it needs approval.
    const rollback = await card(fake, /Roll back the fix: needs approval/);
    expect(replicas(cluster)).toBe(4);
    expect(JSON.stringify(rollback.card)).toContain('Scale checkout up');
    await click(fake, rollback, 'proposal.approved');

    const escalation = await card(fake, /Rolled back\*\*: /);
    const text = JSON.stringify(escalation.card);
    expect(text).toContain('Escalated');
    expect(text).toContain('Scaled deployment shop/checkout back from 4 to 2 replicas');
    // Both languages travel in the card (Lark shows each reader theirs).
    expect(text).toContain('已回滚');
    expect(replicas(cluster)).toBe(2);
    const patches = cluster.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/checkout/scale'));
    expect(patches.map((r) => r.body)).toEqual([
      expect.objectContaining({ spec: { replicas: 4 } }),
      expect.objectContaining({ spec: { replicas: 2 } }),
    ]);
  });
});

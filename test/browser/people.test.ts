import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark } from '../fakes/lark';
import type { FakeLark } from '../fakes/lark';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/screenshots';
const ALICE = 'ou_alice0000000000000000000browser';
const ONCALL = 'ou_oncall000000000000000000browser';
const OPS = 'oc_ops000000000000000000000browser';
/** A name is the person's own text: it must show as text, never as markup. */
const ONCALL_NAME = '<img src=x onerror="document.title=1"> 周 **on call**';

let service: FlakyService;
let fake: FakeLark;
let db: TestDatabase;
let bot: BotProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  service = await startFlakyService();
  fake = await startFakeLark();
  fake.addPerson(ALICE, 'Alice Chen');
  fake.addPerson(ONCALL, ONCALL_NAME);
  fake.addGroup(OPS, 'SRE 值班群');
  db = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-people-'));
  const targetsFile = join(dir, 'targets.json');
  const restart = { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true };
  await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart } } } }));
  const policyFile = join(dir, 'policy.json');
  const operators = ['operator'];
  const policy = { roles: { operator: [ALICE] }, decide: { diagnosis: operators, ignore: operators, retry: operators, resolve: operators }, oncall: { default: { people: [ONCALL, OPS] } } };
  await writeFile(policyFile, JSON.stringify(policy));
  // Lark is the bot's chat; the console is a chat of its own, and names its people from Lark's contacts.
  bot = await BotProcess.start({
    DATABASE_URL: db.url,
    TARGETS_FILE: targetsFile,
    POLICY_FILE: policyFile,
    CONSOLE_USER: ALICE,
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_EVENT_MODE: 'ws',
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
  await db?.drop();
  await fake?.close();
  await service?.close();
});

const named = (id: string) => `.person[data-person-id="${id}"]`;

describe('people by name in the console', () => {
  it('shows names where ids were, with the id in the tooltip, names as text', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://localhost:${bot.httpPort}/`);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    await expect(page.locator(`#who ${named(ALICE)}`).textContent()).resolves.toBe('Alice Chen');
    await expect(page.locator(`#who ${named(ALICE)}`).getAttribute('title')).resolves.toBe(ALICE);

    // /oncall's answer names people and groups by id; the page shows their names (asked for as it arrives).
    await page.fill('#composer', '/oncall');
    await page.click('#send');
    const answer = page.locator('article.message.bot', { hasText: 'On call now' }).last();
    await answer.locator(named(OPS), { hasText: 'SRE 值班群' }).waitFor();
    await expect(answer.locator(named(ONCALL)).textContent()).resolves.toBe(ONCALL_NAME);
    await expect(page.locator(`article.message.person ${named(ALICE)}`).first().textContent()).resolves.toBe('Alice Chen');

    // The diagnosis card mentions the on-call: by name, as Lark would show it.
    await page.click('button[data-sample="alertmanager"]');
    const diagnosis = page.locator('article.message', { has: page.locator('.card-header', { hasText: /Diagnosis ready/ }) });
    await diagnosis.locator(named(ONCALL)).waitFor();
    await expect(diagnosis.locator(named(ONCALL)).textContent()).resolves.toBe(ONCALL_NAME);
    await expect(page.locator('#messages img').count()).resolves.toBe(0);
    await diagnosis.getByRole('button', { name: 'Approve' }).click();
    // The decided card says who decided by name.
    await diagnosis.locator(named(ALICE), { hasText: 'Alice Chen' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/people-chat.png` });

    // The timeline's "who" is a name too.
    await diagnosis.locator('a.incident-link').click();
    const row = page.locator('#timeline tr.timeline-entry', { hasText: 'Diagnosis approved' });
    await row.locator(`td.actor ${named(ALICE)}`, { hasText: 'Alice Chen' }).waitFor();
    await expect(row.locator(`td.actor ${named(ALICE)}`).getAttribute('title')).resolves.toBe(ALICE);
    await page.screenshot({ path: `${SCREENSHOTS}/people-timeline.png` });
    expect(errors).toEqual([]);
    await expect(page.title()).resolves.not.toBe('1');
  });
});

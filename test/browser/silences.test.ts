import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/screenshots';
const USER = 'ops-alice';

let db: TestDatabase;
let bot: BotProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  db = await createTestDatabase();
  bot = await BotProcess.start({ DATABASE_URL: db.url, CONSOLE_USER: USER, APPROVER_IDS: USER });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
  await db?.drop();
});

describe('the Silences page in a browser', () => {
  it('creates a silence, shows its text as text, lists what it held, and expires it', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://localhost:${bot.httpPort}/#/silences`);
    const hostile = '<img src=x onerror="document.title=1"> deploy';
    await page.fill('#silence-matchers', 'service=checkout');
    await page.fill('#silence-duration', '2h');
    await page.fill('#silence-reason', hostile);
    await page.click('#silence-create');
    const row = page.locator('tr[data-silence-id]').first();
    await row.waitFor();
    await expect(row.locator('td').nth(5).textContent()).resolves.toBe(hostile);
    await expect(page.locator('.silences img').count()).resolves.toBe(0);

    // An alert for checkout posted in the chat is held: the page counts it and lists it.
    await page.click('a[data-nav="chat"]');
    await page.fill('#composer', '[critical] checkout returns 503 service=checkout');
    await page.click('#send');
    await page.locator('.reaction.silenced').last().waitFor();
    await page.click('a[data-nav="silences"]');
    await row.locator('button', { hasText: '1' }).click();
    await page.locator('.held td', { hasText: 'checkout returns 503' }).first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/silences.png`, fullPage: true });

    await row.locator('button.expire').click();
    await row.locator('.status', { hasText: 'expired' }).waitFor();
    expect(errors).toEqual([]);
  });
});

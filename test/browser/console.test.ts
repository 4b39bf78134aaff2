import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/** Debian's Chromium (scripts/ensure-chromium.sh installs it); playwright's own download cannot run here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/screenshots';
const USER = 'ops-alice';

let service: FlakyService;
let db: TestDatabase;
let bot: BotProcess;
let browser: Browser;
let page: Page;
/** The incident the first test took to resolved. */
let shownIncident = '';

beforeAll(async () => {
  service = await startFlakyService();
  db = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-browser-'));
  const targetsFile = join(dir, 'targets.json');
  const restart = { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true };
  // The console's samples are about `checkout`: the offline runbook probes it and proposes its restart.
  await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart } } } }));
  bot = await BotProcess.start({ DATABASE_URL: db.url, TARGETS_FILE: targetsFile, VERIFY_INTERVAL: '100ms', CONSOLE_USER: USER });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
  await db?.drop();
  await service?.close();
});

const cardMessage = (title: RegExp) => page.locator('article.message', { has: page.locator('.card-header', { hasText: title }) });

describe('the web console in a browser', () => {
  it('runs an alert from the chat through both approvals to resolved, and shows the incident with its timeline', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://localhost:${bot.httpPort}/`);
    await page.locator('#live', { hasText: 'live' }).waitFor();

    await page.click('button[data-sample="alertmanager"]');
    const diagnosis = cardMessage(/Diagnosis ready/);
    await diagnosis.getByRole('button', { name: 'Approve' }).click();
    await diagnosis.getByText(`Diagnosis approved by ${USER}`).waitFor();

    const proposal = cardMessage(/Fix needs approval/);
    await proposal.getByText(/Needs 1 approval/).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/chat-proposal.png` });
    await proposal.getByRole('button', { name: 'Approve' }).click();
    const resolved = cardMessage(/Resolved · INC-/);
    await resolved.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/chat-resolved.png` });
    expect(service.restarts).toBe(1);
    const incidentId = (await resolved.locator('.card-header').textContent())?.match(/INC-[0-9A-Z]{8}/)?.[0];
    expect(incidentId).toBeDefined();
    // A decision on a finished incident says it is finished (not "you already approved this fix").
    await page.fill('#composer', `/approve ${incidentId} fix`);
    await page.click('#send');
    await page.locator('article.message.bot', { hasText: `${incidentId} is finished (Resolved); there is nothing left to decide.` }).waitFor();

    await page.click('a[data-nav="incidents"]');
    const row = page.locator(`tr[data-incident-id="${incidentId}"]`);
    await row.locator('.status', { hasText: 'done' }).waitFor();
    await page.selectOption('#filter-status', 'done');
    await page.fill('#filter-search', 'CheckoutDown');
    await row.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/incidents.png` });

    await row.getByRole('link', { name: incidentId }).click();
    const timeline = page.locator('#timeline');
    await timeline.locator('tr.timeline-entry', { hasText: 'Fix approved' }).filter({ hasText: USER }).waitFor();
    await expect(timeline.locator('tr.timeline-entry', { hasText: 'Diagnosis approved' }).filter({ hasText: USER }).count()).resolves.toBe(1);
    await expect(page.locator('#incident-status').textContent()).resolves.toBe('Resolved');
    await expect(page.locator('svg.statechart g.state.current[data-state="resolved"]').count()).resolves.toBe(1);
    await expect(page.locator('svg.statechart g.state.current').count()).resolves.toBe(1);
    await expect(page.locator('#stately-link').getAttribute('href')).resolves.toBe('https://stately.ai/editor');
    await page.locator('.panel', { hasText: 'Executions' }).locator('h3', { hasText: 'http.call success' }).waitFor();
    await page.locator('.decision .reasons li', { hasText: /approval/ }).first().waitFor();
    await page.locator('.panel', { hasText: 'Diagnosis' }).locator('.evidence li', { hasText: 'http.probe' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/incident.png`, fullPage: true });
    expect(errors).toEqual([]);
    shownIncident = incidentId ?? '';
  });

  it('tells the timeline in plain words, keeps the recorded event one click away, and opens it without moving the table', async () => {
    await page.goto(`http://localhost:${bot.httpPort}/#/incidents/${shownIncident}`);
    const timeline = page.locator('#timeline');
    const finished = timeline.locator('tr.timeline-entry', { hasText: 'Diagnosis finished' }).first();
    await finished.waitFor();
    // What a person reads: labels, never event types or state paths (innerText skips the closed raw rows).
    const shown = await timeline.innerText();
    expect(shown).toMatch(/Alert received[\s\S]*Looking for the root cause[\s\S]*Fix approved/);
    expect(shown).not.toMatch(/xstate\.|diagnosis\.approved|proposal\.approved|open\.[a-z]|remediating\./i);
    await expect(page.locator('.incident-head').innerText()).resolves.not.toMatch(/open\.|xstate\./);

    const geometry = `(() => ({
      rows: [...document.querySelectorAll('#timeline tr.timeline-entry')].map((row) => row.getBoundingClientRect().height),
      columns: [...document.querySelectorAll('#timeline th')].map((cell) => cell.getBoundingClientRect().width),
    }))()`;
    const before = await page.evaluate<{ rows: number[]; columns: number[] }>(geometry);
    await finished.getByRole('button', { name: 'raw' }).click();
    const raw = timeline.locator('tr.timeline-raw:visible');
    await expect(raw.count()).resolves.toBe(1);
    await expect(raw.locator('.raw-head').textContent()).resolves.toMatch(/xstate\.done\.actor\.diagnose open\.diagnosing → open\.notifyingDiagnosis/);
    await expect(raw.locator('pre.json').textContent()).resolves.toContain('rootCause');
    await expect(page.evaluate<{ rows: number[]; columns: number[] }>(geometry)).resolves.toEqual(before);
    await timeline.screenshot({ path: `${SCREENSHOTS}/timeline-raw.png` });
    await finished.getByRole('button', { name: 'raw' }).click();
    await expect(raw.count()).resolves.toBe(0);
  });

  it('shows what people type as text, never as markup', async () => {
    await page.click('a[data-nav="chat"]');
    const hostile = '<img src=x onerror="document.title=1"> **not bold** &#60;b&#62;';
    await page.fill('#composer', hostile);
    await page.click('#send');
    const mine = page.locator('article.message.person', { hasText: 'onerror' }).last();
    await mine.waitFor();
    await expect(mine.locator('.text').textContent()).resolves.toBe(hostile);
    await expect(page.locator('#messages img').count()).resolves.toBe(0);
    // It is no alert: the bot says so under it, as text.
    await page.locator('article.message.bot', { hasText: 'Not read as an alert' }).last().waitFor();
  });

  it('switches between 中文 and English: the page’s words, a card’s title and the times follow, and the choice is remembered', async () => {
    await page.goto(`http://localhost:${bot.httpPort}/#/chat`);
    const nav = page.locator('a[data-nav="incidents"]');
    await nav.filter({ hasText: 'Incidents' }).waitFor();
    const title = cardMessage(/Resolved · INC-/).first().locator('.card-header');
    await title.waitFor();
    await expect(page.locator('#send').textContent()).resolves.toBe('Send');

    await page.click('button[data-language="zh-CN"]');
    await nav.filter({ hasText: '事件' }).waitFor();
    await expect(page.locator('#send').textContent()).resolves.toBe('发送');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await expect(page.title()).resolves.toBe('ai-fixer 控制台');
    // The card's title is the one Lark would show a Chinese reader (its i18n_content.zh_cn).
    const chineseTitle = page.locator('article.message .card-header', { hasText: /已解决/ }).first();
    await chineseTitle.waitFor();
    await expect(chineseTitle.textContent()).resolves.toContain(shownIncident);
    await page.screenshot({ path: `${SCREENSHOTS}/chat-zh.png` });

    // Remembered across a reload; the incident page speaks Chinese too, times in TIMEZONE.
    await page.goto(`http://localhost:${bot.httpPort}/#/incidents/${shownIncident}`);
    await page.locator('.panel h2', { hasText: '时间线' }).waitFor();
    await expect(page.locator('#incident-status').textContent()).resolves.toBe('已解决');
    await expect(page.locator('#timeline th').allTextContents()).resolves.toEqual(['时间', '操作人', '事件', '阶段', '']);
    await expect(page.locator('#timeline tr.timeline-entry td').first().textContent()).resolves.toMatch(/^\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    await expect(page.locator('.incident-head').innerText()).resolves.not.toMatch(/open\.|xstate\./);

    await page.click('button[data-language="en"]');
    await page.locator('.panel h2', { hasText: 'Timeline' }).waitFor();
    await expect(page.locator('#incident-status').textContent()).resolves.toBe('Resolved');
    await expect(page.locator('#timeline tr.timeline-entry td').first().textContent()).resolves.toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{2}:\d{2}$/);
    await page.goto(`http://localhost:${bot.httpPort}/#/chat`);
    await expect(page.locator('button[data-language="en"]').getAttribute('aria-pressed')).resolves.toBe('true');
    await title.waitFor();
  });
});

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

/**
 * The incident page's statechart says which step of a fix is running. The checkout service holds its restart
 * unanswered, so the incident sits in remediating.executing (the offline runbook's fix: one step, http.call)
 * until the test lets it go.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/screenshots';
const USER = 'ops-alice';

let service: FlakyService;
let db: TestDatabase;
let bot: BotProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  service = await startFlakyService({ holdRestart: true });
  db = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-browser-steps-'));
  const targetsFile = join(dir, 'targets.json');
  const restart = { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true };
  await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart } } } }));
  bot = await BotProcess.start({ DATABASE_URL: db.url, TARGETS_FILE: targetsFile, VERIFY_INTERVAL: '100ms', CONSOLE_USER: USER });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  service?.releaseRestart();
  await browser?.close();
  await bot?.stop();
  await db?.drop();
  await service?.close();
});

const cardMessage = (title: RegExp) => page.locator('article.message', { has: page.locator('.card-header', { hasText: title }) });

async function incidents(): Promise<{ id: string; state: string }[]> {
  // The console's API answers its own page only: it sends this header.
  const response = await fetch(`http://localhost:${bot.httpPort}/api/console/incidents`, { headers: { 'x-ai-fixer-console': '1' } });
  return ((await response.json()) as { incidents: { id: string; state: string }[] }).incidents;
}

describe('the statechart while a fix runs', () => {
  it('notes the step running now at the executing state, in both languages, and nothing once the fix is over', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://localhost:${bot.httpPort}/`);
    await page.locator('#live', { hasText: 'live' }).waitFor();

    await page.click('button[data-sample="alertmanager"]');
    const diagnosis = cardMessage(/Diagnosis ready/);
    await diagnosis.getByRole('button', { name: 'Approve' }).click();
    await diagnosis.getByText(`Diagnosis approved by ${USER}`).waitFor();
    const proposal = cardMessage(/Fix needs approval/);
    await proposal.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => service.restarts, { timeout: 30_000 }).toBe(1);
    const [incident] = await incidents();
    expect(incident?.state).toBe('remediating.executing');

    await page.goto(`http://localhost:${bot.httpPort}/#/incidents/${incident?.id}`);
    const note = page.locator('svg.statechart #state-note');
    await note.waitFor();
    await expect(note.getAttribute('data-state')).resolves.toBe('remediating.executing');
    await expect(note.textContent()).resolves.toBe('Step 1 of 1: http.call');
    await expect(page.locator('svg.statechart g.state.current[data-state="remediating.executing"]').count()).resolves.toBe(1);
    // The note stays inside the chart and wider than its text (its width is estimated before it is drawn).
    const fits = await page.evaluate<{ inside: boolean; roomy: boolean }>(`(() => {
      const note = document.querySelector('#state-note'), svg = note.ownerSVGElement;
      const rect = note.querySelector('rect').getBBox(), text = note.querySelector('text').getBBox();
      const inside = rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= svg.viewBox.baseVal.width && rect.y + rect.height <= svg.viewBox.baseVal.height;
      return { inside, roomy: text.x >= rect.x && text.x + text.width <= rect.x + rect.width };
    })()`);
    expect(fits).toEqual({ inside: true, roomy: true });
    await page.locator('.chart-scroll').screenshot({ path: `${SCREENSHOTS}/statechart-step.png` });

    await page.click('button[data-language="zh-CN"]');
    await page.locator('svg.statechart #state-note', { hasText: '第 1/1 步：http.call' }).waitFor();
    await page.click('button[data-language="en"]');
    await note.filter({ hasText: 'Step 1 of 1' }).waitFor();

    // The restart answers, the fix verifies: the page follows live and notes nothing.
    service.releaseRestart();
    await page.locator('svg.statechart g.state.current[data-state="resolved"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('svg.statechart #state-note').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});

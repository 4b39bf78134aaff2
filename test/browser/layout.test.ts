import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * The console as a person first meets it, on a phone and on a desktop: no page scrolls sideways, and
 * the chat bugs people tripped over stay fixed. The bot runs on its defaults (no targets, no Lark).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/screenshots';
const USER = 'ops-alice';
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

let db: TestDatabase;
let bot: BotProcess;
let browser: Browser;
let page: Page;
let incidentId = '';
const errors: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  // The same person at the terminal and in the browser: both may decide.
  bot = await BotProcess.start({ DATABASE_URL: db.url, CONSOLE_USER: USER, CONSOLE_OPERATOR: USER, APPROVER_IDS: USER });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => errors.push(error.message));
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
  await db?.drop();
});

const url = (hash: string) => `http://localhost:${bot.httpPort}/${hash}`;

async function send(text: string): Promise<void> {
  await page.fill('#composer', text);
  await page.click('#send');
}

/** How far the page reaches past the viewport's right edge, in CSS pixels (0: no sideways scrolling). */
function overflow(): Promise<number> {
  // A string: the tests are compiled without the DOM's types.
  return page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth');
}

/** What a person must never read on the incident page: an `xstate.*` event, a camelCase state key, a dotted path or event type. */
const INTERNAL_NAME = /xstate|\b[a-z]+[A-Z]\w*|\b[a-z]+\.[a-z]/;

/**
 * The drawn statechart, measured in the browser: its boxes (states and edge labels), which of them intersect,
 * which texts do not fit their box (states' and labels'), and every text shown that names an internal name
 * (an `xstate.*` event, a camelCase state key, a dotted path or event type). Tooltips are not shown text.
 */
async function chartGeometry(): Promise<{ labels: Box[]; boxes: Box[]; crossing: string[]; misfits: string[]; internal: string[]; texts: string[] }> {
  const geometry = await page.evaluate<{ labels: Box[]; leaves: Box[]; misfits: string[]; texts: string[] }>(`(() => {
    const box = (b) => ({ x: b.x, y: b.y, width: b.width, height: b.height });
    const inside = (a, b) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
    const misfits = [];
    const labels = [...document.querySelectorAll('svg.statechart .edge-label-box')].map((group) => {
      const rect = box(group.querySelector('rect').getBBox());
      if (!inside(box(group.querySelector('text').getBBox()), rect)) misfits.push(group.querySelector('text').textContent);
      return rect;
    });
    const leaves = [];
    for (const state of document.querySelectorAll('svg.statechart g.state')) {
      const rect = box(state.querySelector('rect').getBBox());
      if (state.classList.contains('leaf')) leaves.push(rect);
      if (!inside(box(state.querySelector('text').getBBox()), rect)) misfits.push(state.getAttribute('data-state'));
    }
    const texts = [...document.querySelectorAll('svg.statechart text')].map((text) =>
      text.querySelectorAll('tspan').length ? [...text.querySelectorAll('tspan')].map((span) => span.textContent).join(' ') : text.textContent);
    return { labels, leaves, misfits, texts };
  })()`);
  const boxes = [...geometry.leaves, ...geometry.labels];
  const crossing: string[] = [];
  boxes.forEach((a, i) =>
    boxes.slice(i + 1).forEach((b, j) => {
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) crossing.push(`${i}×${i + 1 + j}`);
    }),
  );
  const internal = geometry.texts.filter((text) => INTERNAL_NAME.test(text));
  return { labels: geometry.labels, boxes, crossing, misfits: geometry.misfits, internal, texts: geometry.texts };
}

describe('the chat, as a person first meets it', () => {
  it('reads a typed alert as the terminal does: the same title, from the web console, markup kept as text', async () => {
    await page.goto(url('#/chat'));
    await page.locator('#live', { hasText: 'live' }).waitFor();
    // A first visit says what to do, and that the terminal is another chat.
    await expect(page.locator('#empty-state').textContent()).resolves.toMatch(/sample alert.*separate chat/s);
    await page.screenshot({ path: `${SCREENSHOTS}/chat-empty.png` });
    await send('[critical] <b>checkout</b> returns 503 service=checkout');
    await page.locator('#empty-state').waitFor({ state: 'detached' });
    const card = page.locator('article.message.bot', { has: page.locator('.card') }).first();
    await card.waitFor();
    await expect(card.locator('.card-body').first().textContent()).resolves.toContain('Alert (web console)');
    await expect(card.locator('.card-body').first().textContent()).resolves.toContain('<b>checkout</b> returns 503');
    await expect(card.locator('.card-body').first().textContent()).resolves.not.toContain('service=checkout');
    await expect(page.locator('#messages b').count()).resolves.toBe(0);
    // No target or runbook for it: nothing was checked, so nothing is offered for approval.
    await card.getByText('Diagnosis ready: nothing could be checked').waitFor();
    await expect(card.locator('button').allTextContents()).resolves.toEqual(['Escalate', 'Dismiss']);
    await expect(card.textContent()).resolves.toContain('TARGETS_FILE');
    incidentId = (await card.locator('.incident-link').first().textContent())?.match(/INC-[0-9A-Z]{8}/)?.[0] ?? '';
    expect(incidentId).not.toBe('');
  });

  it('shows a toast where it does not cover the composer, and lets it go by itself', async () => {
    await send('/approve INC-ZZZZZZZZ diagnosis');
    // Its answer lands within this test, not in the next one's page.
    await page.locator('article.message.bot', { hasText: 'No incident INC-ZZZZZZZZ' }).waitFor();
    await page.evaluate('import("/dom.js").then((dom) => dom.toast("error", "a toast for the test"))');
    const shown = page.locator('.toast', { hasText: 'a toast for the test' });
    const [toastBox, composerBox] = await Promise.all([shown.boundingBox(), page.locator('.composer').boundingBox()]);
    if (!toastBox || !composerBox) throw new Error('toast or composer not shown');
    expect(toastBox.y + toastBox.height).toBeLessThanOrEqual(composerBox.y);
    await shown.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('links an incident id only when the incident exists', async () => {
    // An id of its own: the answer it waits for is this test's, whatever earlier tests left on the page.
    await send('/approve INC-YYYYYYYY diagnosis');
    await page.locator('article.message.bot', { hasText: 'No incident INC-YYYYYYYY' }).waitFor();
    await send(`/status ${incidentId}`);
    const status = page.locator('article.message.bot', { hasText: `${incidentId}` }).filter({ hasNotText: 'Opened' }).last();
    await status.locator('.incident-link').waitFor();
    await expect(page.locator('.incident-link', { hasText: 'INC-YYYYYYYY' }).count()).resolves.toBe(0);
  });

  it('the incident page offers what the chart accepts now and the viewer may do, and does it', async () => {
    await page.goto(url(`#/incidents/${incidentId}`));
    const actions = page.locator('#incident-actions');
    await actions.locator('button').first().waitFor();
    await expect(actions.locator('button').allTextContents()).resolves.toEqual(['Approve diagnosis', 'Reject diagnosis', 'Escalate', 'Dismiss']);
    await page.fill('#action-text', 'nobody can check it');
    await actions.getByRole('button', { name: 'Escalate' }).click();
    await page.locator('.toast', { hasText: `Escalated ${incidentId}.` }).waitFor();
    await actions.getByRole('button', { name: 'Retry' }).waitFor();
    await expect(actions.locator('button').allTextContents()).resolves.toEqual(['Retry', 'Mark resolved', 'Dismiss']);
    await page.locator('#timeline tr.timeline-entry', { hasText: 'Escalated' }).filter({ hasText: USER }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/incident-actions.png` });
    await page.goto(url('#/chat'));
  });

  it('draws the statechart with ELK in words, in English and in Chinese: no two boxes intersect, every text fits its box, with a legend and the path taken', async () => {
    await page.goto(url(`#/incidents/${incidentId}`));
    await page.locator('svg.statechart g.state.current').first().waitFor();
    const english = await chartGeometry();
    expect(english.labels.length).toBeGreaterThan(10);
    expect(english.crossing).toEqual([]);
    expect(english.misfits).toEqual([]);
    expect(english.internal).toEqual([]);
    expect(english.texts).toContain('Waiting for someone to confirm the diagnosis');
    expect(english.texts).toContain('Diagnosis approved');
    await expect(page.locator('svg.statechart').textContent()).resolves.not.toMatch(/ \+\d/);
    await expect(page.locator('#statechart-legend').textContent()).resolves.toMatch(/current state.*visited.*waits for a person/);
    await expect(page.locator('#path-taken li').count()).resolves.toBeGreaterThan(2);
    expect((await page.locator('#path-taken li').allTextContents()).filter((step) => INTERNAL_NAME.test(step))).toEqual([]);
    // The raw names stay in the tooltips.
    await expect(page.locator('svg.statechart g.state[data-state="open.awaitingDiagnosisApproval"] > title').textContent()).resolves.toContain('open.awaitingDiagnosisApproval');
    await page.locator('.panel', { hasText: 'Statechart' }).screenshot({ path: `${SCREENSHOTS}/statechart.png` });

    // The same layout in Chinese: the boxes were sized for the wider of the two languages.
    await page.click('button[data-language="zh-CN"]');
    await page.locator('svg.statechart text', { hasText: '等待确认诊断' }).first().waitFor();
    const chinese = await chartGeometry();
    expect(chinese.boxes).toEqual(english.boxes);
    expect(chinese.crossing).toEqual([]);
    expect(chinese.misfits).toEqual([]);
    expect(chinese.internal).toEqual([]);
    expect(chinese.texts).toContain('诊断已确认');
    await expect(page.locator('#path-taken li').first().textContent()).resolves.toMatch(/\p{Script=Han}.* → .*\p{Script=Han}/u);
    await page.locator('.panel', { hasText: '状态图' }).screenshot({ path: `${SCREENSHOTS}/statechart-zh.png` });
    await page.click('button[data-language="en"]');
    await page.locator('svg.statechart text', { hasText: 'Diagnosis approved' }).first().waitFor();
  });

  it('a decision typed in the terminal about a web console incident says where the incident lives', async () => {
    bot.type(`/resolve ${incidentId} fixed by hand`);
    await bot.waitFor(new RegExp(`Resolved ${incidentId}\\. Now: [^.]+\\. ${incidentId} lives in the web console chat: its cards and what follows appear there, not here\\.`));
  });

  it('shows the size limit before sending, and the server’s reason if one gets through', async () => {
    await page.goto(url('#/chat'));
    await page.fill('#composer', 'x'.repeat(8_001));
    await expect(page.locator('#composer-length').textContent()).resolves.toMatch(/8,001 \/ 8,000 characters: 1 too many/);
    await expect(page.locator('#send').isDisabled()).resolves.toBe(true);
    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/console/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ai-fixer-console': '1' },
        body: JSON.stringify({ id: 'too-long-0001', text: 'x'.repeat(8_001) }),
      });
      return ((await response.json()) as { error: Record<'en' | 'zh-CN', string> }).error;
    });
    expect(answer.en).toMatch(/longer than 8,000 characters/);
    expect(answer['zh-CN']).toMatch(/超过 8,000 个字符/);
    await page.fill('#composer', '');
  });
});

describe('every page fits the screen', () => {
  for (const size of SIZES) {
    it(`at ${size.width}×${size.height} (${size.name}) no page scrolls sideways`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const pages = [
        ['chat', '#/chat', '#messages'],
        ['incidents', '#/incidents', `tr[data-incident-id="${incidentId}"]`],
        ['incident', `#/incidents/${incidentId}`, 'svg.statechart'],
        ['silences', '#/silences', '#silence-create'],
      ] as const;
      for (const [name, hash, ready] of pages) {
        await page.goto(url(hash));
        await page.locator(ready).first().waitFor();
        await page.screenshot({ path: `${SCREENSHOTS}/${size.name}-${name}.png`, fullPage: true });
        expect.soft({ page: name, overflow: await overflow() }).toEqual({ page: name, overflow: 0 });
      }
      expect(errors).toEqual([]);
    });
  }
});

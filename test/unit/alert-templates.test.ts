import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertDetector } from '../../src/chat/core/alert-detector';
import { loadAlertTemplates } from '../../src/chat/core/alert-detector/alert-templates';

async function file(content: unknown): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'aifixer-templates-')), 'templates.json');
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('ALERT_TEMPLATES_FILE', () => {
  it('loads templates the detector then applies to a layout it does not know', async () => {
    const templates = await loadAlertTemplates(
      await file([{ name: 'billing-cron', source: 'BillingCron', pattern: '^CRON (?<status>FAILED|OK) (?<title>\\S+) on (?<instance>\\S+)' }]),
    );
    const detection = new AlertDetector({ templates }).detect({
      msgType: 'text',
      content: { text: 'CRON FAILED nightly-invoices on billing-7' },
      sender: { kind: 'bot', id: 'cli_billing' },
      mentionsBot: false,
    });
    expect(detection.isAlert).toBe(true);
    if (detection.isAlert) expect(detection.alerts[0]).toMatchObject({ source: 'BillingCron', title: 'nightly-invoices', instance: 'billing-7' });
  });

  it('is empty when not configured, and names the entry and field of a bad file', async () => {
    expect(await loadAlertTemplates(undefined)).toEqual([]);
    await expect(loadAlertTemplates(await file([{ name: 'x' }]))).rejects.toThrow(/0\.pattern/);
    await expect(loadAlertTemplates(await file([{ name: 'x', pattern: '(' }]))).rejects.toThrow(/0\.pattern: .*missing/);
    // A pattern a backtracking engine could stall on is refused at start-up, not run on alert text.
    await expect(loadAlertTemplates(await file([{ name: 'x', pattern: '(?<title>a+)\\1' }]))).rejects.toThrow(/0\.pattern: .*backreferences/);
    await expect(loadAlertTemplates(await file('not json'))).rejects.toThrow(/Cannot read alert templates/);
  });
});

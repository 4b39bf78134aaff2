import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { dataKey } from '../../src/security/encryption-keys';
import { CONSOLE_HEADER } from '../../src/server/console/console-auth';
import { startFlakyService } from '../fakes/flaky-service';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startBot(env: Record<string, string>): Promise<BotProcess> {
  const bot = await BotProcess.start(env);
  cleanups.push(() => bot.kill());
  return bot;
}

type Details = { executions: { pluginId: string; result: Record<string, unknown> }[] };

async function incidentPage(bot: BotProcess, id: string): Promise<Details> {
  const response = await fetch(`http://127.0.0.1:${bot.httpPort}/api/console/incident?id=${id}`, { headers: { [CONSOLE_HEADER]: '1' } });
  expect(response.status).toBe(200);
  return (await response.json()) as Details;
}

describe('the bot process with ENCRYPTION_KEY', () => {
  it('seals every step and execution result, shows them decrypted, and names the key once it is gone', async () => {
    const service = await startFlakyService();
    cleanups.push(() => service.close());
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const dir = await mkdtemp(join(tmpdir(), 'aifixer-encryption-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const targetsFile = join(dir, 'targets.json');
    await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart: { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true } } } } }));
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    cleanups.push(() => db.end());
    const key = randomBytes(32).toString('base64');
    const keyId = dataKey(key).id;
    const env = { DATABASE_URL: database.url, TARGETS_FILE: targetsFile, VERIFY_INTERVAL: '100ms', CONSOLE_OPERATOR: 'oncall-alice' };

    const bot = await startBot({ ...env, ENCRYPTION_KEY: key });
    expect(bot.logs).toContain(`"keyId":"${keyId}"`);
    expect(bot.logs).toContain('sensitive data is encrypted at rest');
    expect(bot.logs).not.toContain('ENCRYPTION_KEY is not set');
    bot.type('[critical] checkout returns 503 service=checkout');
    const [, id] = await bot.waitFor(/Opened (INC-[0-9A-Z]{8})/);
    const stateIs = (state: string) =>
      eventually(async () => ((await db.query<{ state: string }>('select state from incidents where id = $1', [id])).rows[0]?.state === state ? true : undefined), state, 30_000);
    await stateIs('open.awaitingDiagnosisApproval');
    bot.type(`/approve ${id} diagnosis`);
    await stateIs('open.awaitingProposalApproval');
    bot.type(`/approve ${id} fix`);
    await stateIs('resolved');
    expect(service.restarts).toBe(1);

    const { rows } = await db.query<{ result: Record<string, unknown> }>(
      `select result from step_journal where incident_id = $1 and result is not null union all select result from executions where incident_id = $1`,
      [id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) expect(row.result).toMatchObject({ $enc: 'v1', kid: keyId });
    const sealedPage = await incidentPage(bot, id!);
    expect(sealedPage.executions[0]?.result).toMatchObject({ status: 'success', summary: expect.stringMatching(/^POST .*\/admin\/restart → 200/) as unknown });
    expect(bot.logs).not.toContain(key);
    await bot.stop();

    // Restarted without the key: it warns, and the page says which key the result needs instead of failing.
    const keyless = await startBot(env);
    expect(keyless.logs).toContain('ENCRYPTION_KEY is not set: sensitive data (plugin outputs) is stored unencrypted');
    const page = await incidentPage(keyless, id!);
    expect(page.executions[0]?.result).toEqual({ unreadable: expect.stringContaining(`encrypted with key ${keyId}`) as unknown });
  });
});

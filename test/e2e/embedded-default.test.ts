import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFlakyService } from '../fakes/flaky-service';
import { BotProcess } from '../support/bot-process';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('npm start with no database configured (embedded PGlite)', () => {
  it('runs an incident to resolution and still knows it after a restart', async () => {
    const service = await startFlakyService();
    cleanups.push(() => service.close());
    const dataDir = await mkdtemp(join(tmpdir(), 'aifixer-embedded-'));
    const targetsFile = join(dataDir, 'targets.json');
    const restart = { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true };
    await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart } } } }));
    const env = { DATA_DIR: dataDir, TARGETS_FILE: targetsFile, VERIFY_INTERVAL: '100ms' };

    const bot = await BotProcess.start(env);
    cleanups.push(() => bot.kill());
    bot.type('[critical] checkout returns 503 service=checkout');
    const [, id] = await bot.waitFor(/Opened (INC-[0-9A-Z]{8})/);
    await bot.waitFor(/Diagnosis ready/);
    bot.type(`/approve ${id} diagnosis`);
    await bot.waitFor(new RegExp(`/approve ${id} fix`));
    bot.type(`/approve ${id} fix`);
    await bot.waitFor(/Resolved/);
    expect(service.restarts).toBe(1);
    expect(await bot.stop()).toBe(0);

    const again = await BotProcess.start(env);
    cleanups.push(() => again.kill());
    again.type(`/status ${id}`);
    await again.waitFor(new RegExp(`${id}: Resolved`));
  }, 240_000);
});

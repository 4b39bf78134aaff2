import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  service: FlakyService;
  env: Record<string, string>;
  db: pg.Client;
}

async function setup(options: { holdRestart?: boolean; env?: Record<string, string> } = {}): Promise<Setup> {
  const service = await startFlakyService({ holdRestart: options.holdRestart });
  cleanups.push(() => service.close());
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-e2e-'));
  const targetsFile = join(dir, 'targets.json');
  const restart = { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true };
  await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart } } } }));
  const db = new pg.Client({ connectionString: database.url });
  cleanups.push(() => db.end());
  const env = {
    DATABASE_URL: database.url,
    TARGETS_FILE: targetsFile,
    DEADLINE_SWEEP_INTERVAL: '100ms',
    VERIFY_INTERVAL: '100ms',
    CONSOLE_OPERATOR: 'oncall-alice',
    ...options.env,
  };
  return { service, env, db };
}

async function startBot(env: Record<string, string>): Promise<BotProcess> {
  const bot = await BotProcess.start(env);
  cleanups.push(() => bot.kill());
  return bot;
}

async function connect(s: Setup): Promise<void> {
  await s.db.connect();
}

async function stateOf(s: Setup, id: string, state: string): Promise<void> {
  await eventually(async () => {
    const { rows } = await s.db.query<{ state: string }>('select state from incidents where id = $1', [id]);
    return rows[0]?.state === state ? true : undefined;
  }, `${id} to reach ${state}`, 30_000);
}

async function count(s: Setup, sql: string, id: string): Promise<number> {
  const { rows } = await s.db.query<{ n: string }>(sql, [id]);
  return Number(rows[0]?.n);
}

async function openIncident(bot: BotProcess): Promise<string> {
  bot.type('[critical] checkout returns 503 service=checkout');
  const [, id] = await bot.waitFor(/Opened (INC-[0-9A-Z]{8})/);
  return id!;
}

describe('the bot process killed with SIGKILL', () => {
  it('while an incident waits for approval: a restarted bot continues it and no step acts twice', async () => {
    const s = await setup();
    await connect(s);
    const first = await startBot(s.env);
    const id = await openIncident(first);
    await stateOf(s, id, 'open.awaitingDiagnosisApproval');
    await first.waitFor(/Diagnosis ready/);
    await first.kill();

    const second = await startBot(s.env);
    second.type(`/approve ${id} diagnosis`);
    await second.waitFor(new RegExp(`Approved the diagnosis of ${id}`));
    await stateOf(s, id, 'open.awaitingProposalApproval');
    second.type(`/approve ${id} fix`);
    await stateOf(s, id, 'resolved');

    expect(s.service.restarts).toBe(1);
    expect(second.output).not.toContain('Diagnosis ready');
    expect(await count(s, `select count(*) as n from step_journal where incident_id = $1 and step = 'diagnosis-card'`, id)).toBe(1);
    expect(await count(s, `select count(*) as n from executions where incident_id = $1`, id)).toBe(1);
    const { rows } = await s.db.query<{ actor: string }>(`select actor from incident_events where incident_id = $1 and event_type = 'proposal.approved'`, [id]);
    expect(rows).toEqual([{ actor: 'oncall-alice' }]);
  });

  it('while a remediation request is in flight: the restarted bot confirms it instead of sending it again', async () => {
    const s = await setup({ holdRestart: true });
    await connect(s);
    const first = await startBot(s.env);
    const id = await openIncident(first);
    await stateOf(s, id, 'open.awaitingDiagnosisApproval');
    first.type(`/approve ${id} diagnosis`);
    await stateOf(s, id, 'open.awaitingProposalApproval');
    first.type(`/approve ${id} fix`);
    await eventually(() => (s.service.restarts === 1 ? true : undefined), 'the restart request to arrive');
    await first.kill();
    expect(await count(s, `select count(*) as n from executions where incident_id = $1 and status = 'intent'`, id)).toBe(1);

    const second = await startBot(s.env);
    await stateOf(s, id, 'resolved');
    await second.waitFor(/resolved/i);
    expect(s.service.restarts).toBe(1);
    expect(await count(s, `select count(*) as n from executions where incident_id = $1 and status = 'success'`, id)).toBe(1);
  });

  it('a deadline that expired while the bot was down fires right after restart', async () => {
    const s = await setup({ env: { DIAGNOSIS_APPROVAL_TIMEOUT: '1500ms' } });
    await connect(s);
    const first = await startBot(s.env);
    const id = await openIncident(first);
    await stateOf(s, id, 'open.awaitingDiagnosisApproval');
    await first.kill();
    const { rows } = await s.db.query<{ wake_at: Date }>('select wake_at from incidents where id = $1', [id]);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, rows[0]!.wake_at.getTime() - Date.now()) + 100));

    await startBot(s.env);
    await stateOf(s, id, 'escalated');
    const reason = await s.db.query<{ reason: string }>(`select snapshot->'context'->'escalation'->>'reason' as reason from incidents where id = $1`, [id]);
    expect(reason.rows[0]?.reason).toBe('Nobody confirmed the diagnosis in time');
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptionKeyUnavailableError, PLAINTEXT } from '../../src/security/encryption';
import type { DataCipher } from '../../src/security/encryption';
import { ConsoleQueries } from '../../src/store/console-queries';
import { ExecutionStore } from '../../src/store/execution-store';
import { closeOrm, openOrm } from '../../src/store/orm';
import { StepJournalStore } from '../../src/store/step-journal-store';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { createTestDatabase } from '../support/database';
import { columnsContaining } from '../support/db-scan';
import { approveThrough, checkoutDown, cipherWith, randomKey, sensitiveFixHarness, sensitiveFixTargets, stateOf } from '../support/sensitive-fix';
import type { WorkflowHarness } from '../support/workflow-harness';

let marker: string;
let dir: string;
let service: FlakyService;
let h: WorkflowHarness | undefined;

beforeEach(async () => {
  marker = `stdout-marker-${randomBytes(6).toString('hex')}`;
  dir = await mkdtemp(join(tmpdir(), 'encryption-at-rest-'));
  service = await startFlakyService();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

async function resolvedIncident(cipher?: DataCipher) {
  h = await sensitiveFixHarness(await sensitiveFixTargets(service.url, marker, dir), { cipher });
  const { id } = await h.runtime.create({ alert: checkoutDown(), chatId: 'ops', by: { id: 'monitor' } });
  await stateOf(h, id, 'open.awaitingDiagnosisApproval');
  return { id, view: await approveThrough(h, id) };
}

type Raw = { step: string; result: Record<string, unknown> | null };
const rawResults = (harness: WorkflowHarness, id: string) =>
  harness.orm.em
    .fork()
    .getConnection()
    .execute<Raw[]>(
      `select step, result from step_journal where incident_id = ? and result is not null
       union all select plugin_id as step, result from executions where incident_id = ?`,
      [id, id],
    );

describe('encryption at rest of plugin outputs (real Postgres)', () => {
  it('with a key: a sensitive command output is in no plain column, and the app reads it back', async () => {
    const cipher = cipherWith(randomKey());
    const { id, view } = await resolvedIncident(cipher);
    expect(service.restarts).toBe(1);

    const executions = await h!.executions.forIncident(id);
    expect(executions.map((e) => [e.pluginId, e.status])).toEqual([['shell.run', 'success'], ['http.call', 'success']]);
    expect(executions[0]!.result).toMatchObject({ sensitive: true, data: { stdout: `restart noted\n${marker}\n` } });
    const page = await new ConsoleQueries(h!.orm, cipher).executions(id);
    expect(JSON.stringify(page[0]!.result)).toContain(marker);

    expect(await columnsContaining(h!.orm, marker)).toEqual([]);
    const raw = await rawResults(h!, id);
    expect(raw.map((row) => row.step)).toEqual(expect.arrayContaining(['diagnose', 'propose', 'shell.run', 'http.call']));
    for (const row of raw) expect(row.result).toMatchObject({ $enc: 'v1', kid: cipher.keyId });

    // People still see the summary; the snapshot keeps the data of the non-sensitive step only.
    const [note, restart] = view.context.execution!.steps;
    expect(note).toMatchObject({ pluginId: 'shell.run', summary: '"note" on web1 exited 0: restart noted' });
    expect(note!.data).toBeUndefined();
    expect(restart!.data).toMatchObject({ status: 200 });

    // A re-run of a journaled step replays its sealed result instead of acting again.
    const replayed = await h!.journal.run({ incidentId: id, attempt: view.context.attempt, step: 'diagnose' }, new AbortController().signal, () =>
      Promise.reject(new Error('the diagnosis must not run again')),
    );
    expect(replayed).toEqual(view.context.diagnosis);
  });

  it('without a key: values are stored as before, and sensitive output still stays out of snapshot and audit', async () => {
    const { id } = await resolvedIncident();
    expect(await columnsContaining(h!.orm, marker)).toEqual(['executions.result']);
    for (const row of await rawResults(h!, id)) expect(row.result).not.toHaveProperty('$enc');
    expect((await h!.executions.forIncident(id))[0]!.result).toMatchObject({ data: { stdout: `restart noted\n${marker}\n` } });
  });

  it('reads rows written before the key was set, rotates keys, and names a key it no longer has', async () => {
    const db = await createTestDatabase();
    const [first, second] = [randomKey(), randomKey()];
    try {
      h = await sensitiveFixHarness(await sensitiveFixTargets(service.url, marker, dir), { db });
      const { id } = await h.runtime.create({ alert: checkoutDown(), chatId: 'ops', by: { id: 'monitor' } });
      await stateOf(h, id, 'open.awaitingDiagnosisApproval');
      await h.close();

      // Restarted with ENCRYPTION_KEY set: the plain diagnosis is read, later steps are sealed.
      h = await sensitiveFixHarness(await sensitiveFixTargets(service.url, marker, dir), { db, cipher: cipherWith(first) });
      const view = await approveThrough(h, id);
      const raw = new Map((await rawResults(h, id)).map((row) => [row.step, row.result]));
      expect(raw.get('diagnose')).not.toHaveProperty('$enc');
      expect(raw.get('propose')).toMatchObject({ $enc: 'v1', kid: first.id });
      expect(raw.get('shell.run')).toMatchObject({ $enc: 'v1', kid: first.id });
      await h.close();
      h = undefined;

      const orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
      try {
        const key = (step: string) => `${id}/${view.context.attempt}/${step}`;
        const rotated = cipherWith(second, first);
        expect((await new ExecutionStore(orm, rotated).forIncident(id))[0]!.result).toMatchObject({ data: { stdout: `restart noted\n${marker}\n` } });
        expect((await new StepJournalStore(orm, rotated).find(key('diagnose')))?.result).toEqual(view.context.diagnosis);
        expect((await new StepJournalStore(orm, rotated).find(key('propose')))?.result).toMatchObject({ fixable: true });

        const forgotten = cipherWith(second);
        await expect(new ExecutionStore(orm, forgotten).forIncident(id)).rejects.toThrow(`was encrypted with key ${first.id}, which is not configured`);
        await expect(new StepJournalStore(orm, PLAINTEXT).find(key('propose'))).rejects.toThrow(EncryptionKeyUnavailableError);
        const page = await new ConsoleQueries(orm, forgotten).executions(id);
        expect(page[0]!.result).toEqual({ unreadable: expect.stringContaining(`key ${first.id}`) as unknown });
      } finally {
        await closeOrm(orm);
      }
    } finally {
      await h?.close();
      h = undefined;
      await db.drop();
    }
  });
});

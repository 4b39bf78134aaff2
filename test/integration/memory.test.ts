import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemory, EmbeddingShapeError, FIX_BONUS, LocalEmbedder } from '../../src/memory';
import type { Embedder, IncidentMemoryRecordInput, Memory } from '../../src/memory';
import { alertText, IncidentMemoryRecordSchema, incidentEmbeddingText } from '../../src/memory/memory-record';
import { migrate, openOrm } from '../../src/store/orm';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

const RUNBOOKS_DIR = fileURLToPath(new URL('../../runbooks', import.meta.url));
const silent = pino({ level: 'silent' });

/** The real local embedder, counting what it is asked to embed. */
class CountingEmbedder implements Embedder {
  private readonly inner = new LocalEmbedder();
  readonly name = this.inner.name;
  readonly dimensions = this.inner.dimensions;
  texts: string[] = [];
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    this.texts.push(...texts);
    return this.inner.embed(texts, signal);
  }
}

const crashloopAlert = (pod: string, extra = '') => ({
  title: `KubePodCrashLooping: pod ${pod} in namespace payments is restarting`,
  text: `Back-off restarting failed container api in pod ${pod}${extra}`,
  service: 'payments-api',
  labels: { alertname: 'KubePodCrashLooping', namespace: 'payments', pod },
});
const crashloopDiagnosis = { summary: 'payments-api exits on start', rootCause: 'A rotated secret was not mounted', category: 'kubernetes-workload' };
const restart = { pluginId: 'kubernetes.rollout_restart', args: { target: 'prod', namespace: 'payments', deployment: 'payments-api' } };

const WORKED: IncidentMemoryRecordInput = {
  incidentId: 'INC-WORKED01',
  alert: crashloopAlert('payments-api-7d9f8c6b5-x2k4q'),
  diagnosis: crashloopDiagnosis,
  fix: { summary: 'Restart payments-api', steps: [restart], executed: true },
  outcome: 'resolved',
  fixWorked: true,
};
const FAILED: IncidentMemoryRecordInput = {
  incidentId: 'INC-FAILED01',
  alert: crashloopAlert('payments-api-5c8d7b9f4-q7w2z', ', exit code 1'),
  diagnosis: crashloopDiagnosis,
  fix: { summary: 'Delete the pod', steps: [{ pluginId: 'kubernetes.delete_pod', args: { target: 'prod', namespace: 'payments', pod: 'x' } }], executed: true },
  outcome: 'failed',
  fixWorked: false,
};
const IGNORED: IncidentMemoryRecordInput = {
  incidentId: 'INC-IGNORED1',
  alert: crashloopAlert('payments-api-6b7c8d9f5-zz2kq'),
  diagnosis: null,
  fix: null,
  outcome: 'ignored',
  fixWorked: false,
};
const UNRELATED: IncidentMemoryRecordInput = {
  incidentId: 'INC-POSTGRES',
  alert: { title: 'PostgresIdleInTransaction on orders-db', text: '12 sessions idle in transaction for over 5 minutes', service: 'orders-db', labels: {} },
  diagnosis: { summary: 'Leaked transactions', rootCause: 'A worker never commits', category: 'database-connections' },
  fix: { summary: 'Terminate idle sessions', steps: [{ pluginId: 'postgres.terminate_backends', args: { target: 'orders-db', olderThanSeconds: 60 } }], executed: true },
  outcome: 'resolved',
  fixWorked: true,
};

let db: TestDatabase;
let orm: MikroORM;
let embedder: CountingEmbedder;
let memory: Memory;
beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
  await migrate(orm);
  embedder = new CountingEmbedder();
  memory = createMemory({ orm, embedder, logger: silent, defaultK: 5 });
});
afterAll(async () => {
  await orm.close();
  await db.drop();
});

const rows = (sql: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<Record<string, unknown>[]>(sql, params);
const cosine = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('incident memory on pgvector', () => {
  it('recalls similar incidents first, ranks worked fixes up and failed fixes down, and leaves unrelated ones out', async () => {
    for (const record of [WORKED, FAILED, IGNORED, UNRELATED]) await memory.incidents.remember(record);
    const query = alertText(IncidentMemoryRecordSchema.parse(FAILED).alert);
    const recalled = await memory.incidents.recall(query, 5);

    expect(recalled.map((r) => r.incidentId)).toEqual(['INC-WORKED01', 'INC-IGNORED1', 'INC-FAILED01']);
    const byId = Object.fromEntries(recalled.map((r) => [r.incidentId, r]));
    const [worked, failed, ignored] = [byId['INC-WORKED01']!, byId['INC-FAILED01']!, byId['INC-IGNORED1']!];
    // The failed one is the closest match, yet its fix did not work: the worked fix outranks it.
    expect(failed.similarity).toBeGreaterThan(worked.similarity);
    expect(worked.score).toBeCloseTo(worked.similarity + FIX_BONUS, 10);
    expect(failed.score).toBeCloseTo(failed.similarity - FIX_BONUS, 10);
    expect(ignored.score).toBeCloseTo(ignored.similarity, 10);
    expect(worked).toMatchObject({ outcome: 'resolved', fixWorked: true, fix: { summary: 'Restart payments-api', steps: [restart] } });
    expect(worked.summary).toContain('Fix (worked): Restart payments-api');

    // similarity is 1 - cosine distance, as computed from the vectors themselves.
    const local = new LocalEmbedder();
    const expected = cosine(local.vector(query), local.vector(incidentEmbeddingText(IncidentMemoryRecordSchema.parse(WORKED))));
    expect(worked.similarity).toBeCloseTo(expected, 5);

    expect(await memory.incidents.recall(query, 1)).toHaveLength(1);
    const postgres = await memory.incidents.recall('orders-db: sessions idle in transaction', 5);
    expect(postgres.map((r) => r.incidentId)).toEqual(['INC-POSTGRES']);
  });

  it('keeps one entry per incident: a later end overwrites it, and unchanged text is not embedded again', async () => {
    const before = embedder.texts.length;
    await memory.incidents.remember(WORKED);
    expect(embedder.texts.length).toBe(before);

    await memory.incidents.remember({ ...WORKED, outcome: 'escalated', fixWorked: false });
    expect(embedder.texts.length).toBe(before);
    const [stored] = await rows(`select count(*)::int as n, max(metadata->>'outcome') as outcome from knowledge where source_key = 'incident:INC-WORKED01'`);
    expect(stored).toEqual({ n: 1, outcome: 'escalated' });

    await memory.incidents.remember({ ...WORKED, diagnosis: { ...crashloopDiagnosis, rootCause: 'The database password changed' } });
    expect(embedder.texts.length).toBe(before + 1);
    expect(await rows(`select count(*)::int as n from knowledge where kind = 'incident'`)).toEqual([{ n: 4 }]);
  });

  it('rejects vectors that do not fit the table, saying which sizes disagree', async () => {
    const entry = { kind: 'incident' as const, sourceKey: 'incident:bad', title: 't', content: 'c', metadata: {}, contentHash: 'h', embedder: 'x' };
    await expect(memory.store.upsert(entry, [0.1, 0.2, 0.3])).rejects.toThrow(
      new EmbeddingShapeError('Embedding has 3 dimensions but the knowledge table stores vector(256): configure an embedder with matching dimensions.'),
    );
    await expect(memory.store.search([1, 0], { kind: 'incident', k: 3 })).rejects.toThrow(EmbeddingShapeError);
    await expect(memory.store.upsert(entry, new Array<number>(256).fill(0))).rejects.toThrow(/all zeros/);

    const misconfigured: Embedder = { name: 'remote', dimensions: 256, embed: (texts) => Promise.resolve(texts.map(() => [0.5, 0.5])) };
    const wrong = createMemory({ orm, embedder: misconfigured, logger: silent });
    await expect(wrong.incidents.remember({ ...WORKED, incidentId: 'INC-WRONG' })).rejects.toThrow(/has 2 dimensions .* vector\(256\)/);
    expect(() => createMemory({ orm, embedder: { ...misconfigured, dimensions: 1536 }, logger: silent })).toThrow(
      'Embedder remote makes 1536-dimensional vectors; the knowledge table stores 256.',
    );
    expect(await rows(`select count(*)::int as n from knowledge where source_key in ('incident:bad', 'incident:INC-WRONG')`)).toEqual([{ n: 0 }]);
  });
});

describe('runbook knowledge on pgvector', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ai-fixer-runbook-sync-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const disk = '---\nkeywords: [disk full]\nremediation: [{ plugin: shell.run, args: { target: "{{host}}", command: rotate-logs }, summary: Rotate logs }]\n---\n# Disk full\n\nNo space left on device.\n';
  const vpn = '# VPN down\n\nRestart the tunnel.\n';

  it('syncs a folder: adds, skips unchanged without embedding, updates changed, deletes removed, keeps broken', async () => {
    await writeFile(join(dir, 'disk.md'), disk);
    await writeFile(join(dir, 'vpn.md'), vpn);
    const first = await memory.syncRunbooks(dir);
    expect(first).toMatchObject({ added: ['disk.md', 'vpn.md'], updated: [], unchanged: 0, deleted: [], broken: [] });
    expect(first.runbooks.map((r) => r.path)).toEqual(['disk.md', 'vpn.md']);

    const before = embedder.texts.length;
    expect(await memory.syncRunbooks(dir)).toMatchObject({ added: [], updated: [], unchanged: 2, deleted: [] });
    expect(embedder.texts.length).toBe(before);

    await writeFile(join(dir, 'vpn.md'), `${vpn}\nThen check the routes.\n`);
    await writeFile(join(dir, 'disk.md'), '---\nkeywords: disk full\n---\n# Broken now\n');
    await writeFile(join(dir, 'dns.md'), '# DNS failures\n');
    const report = await memory.syncRunbooks(dir);
    expect(report).toMatchObject({ added: ['dns.md'], updated: ['vpn.md'], unchanged: 0, deleted: [] });
    expect(report.broken).toEqual([{ path: 'disk.md', error: expect.stringMatching(/^disk\.md: keywords: /) as unknown }]);
    expect(embedder.texts.length).toBe(before + 2);
    // The broken file's last good version stays searchable.
    expect((await memory.store.get('runbook:disk.md'))?.title).toBe('Disk full');
    expect((await memory.store.get('runbook:vpn.md'))?.content).toContain('check the routes');

    await unlink(join(dir, 'disk.md'));
    await unlink(join(dir, 'dns.md'));
    expect(await memory.syncRunbooks(dir)).toMatchObject({ added: [], updated: [], unchanged: 1, deleted: ['disk.md', 'dns.md'] });
    expect(await memory.store.get('runbook:disk.md')).toBeNull();
  });

  it('finds the shipped runbook for an alert, with its structured steps, and never returns incidents', async () => {
    const report = await memory.syncRunbooks(RUNBOOKS_DIR);
    expect(report.broken).toEqual([]);
    expect(report.deleted).toEqual(['vpn.md']);

    const hits = await memory.incidents.searchKnowledge('Pod payments/api-0 is in CrashLoopBackOff: back-off restarting failed container', 3);
    expect(hits[0]).toMatchObject({ path: 'kubernetes-crashloop.md', title: 'Kubernetes pod crash-looping', category: 'kubernetes-workload' });
    expect(hits[0]?.steps.remediation.map((s) => s.plugin)).toEqual(['kubernetes.rollout_restart']);
    expect(hits[0]?.excerpt).toContain('CrashLoopBackOff');
    expect(hits[0]!.similarity).toBeGreaterThan(hits[1]?.similarity ?? 0);

    const postgres = await memory.incidents.searchKnowledge('orders-db: too many connections, sessions idle in transaction', 1);
    expect(postgres.map((h) => h.path)).toEqual(['postgres-idle-in-transaction.md']);
    // The incident about the same thing is in memory, but knowledge search only returns runbooks.
    expect((await memory.incidents.recall('orders-db: too many connections, sessions idle in transaction')).map((r) => r.incidentId)).toEqual(['INC-POSTGRES']);
  });

  it('recollects past incidents and runbooks for an alert, shaped for the diagnosis prompt', async () => {
    const alert = { source: 'test', fingerprint: 'fp', title: 'PostgresIdleInTransaction on orders-db', status: 'firing', severity: 'high', service: 'orders-db', labels: {} } as const;
    const recollection = await memory.recollect(alert);
    expect(recollection.incidents[0]).toMatchObject({
      incidentId: 'INC-POSTGRES',
      outcome: 'resolved',
      fix: 'Terminate idle sessions (worked)',
    });
    expect(recollection.knowledge[0]).toMatchObject({ path: 'postgres-idle-in-transaction.md' });
    const content = recollection.knowledge[0]?.content ?? '';
    expect(content).toContain('Terminate sessions idle in a transaction');
    expect(content).toMatch(/^remediation: postgres\.terminate_backends \{.*"mode":"idle_in_transaction".*\}$/m);
    expect(content).toMatch(/^verification: postgres\.activity \{.*\} expect \[\{"path":"idleInTransaction\.value","atMost":0\}\]$/m);
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetsSchema } from '../../src/plugins/targets';
import { createTestDatabase, TEST_SERVER_URL } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

/**
 * The end-to-end scenario on a real server: an application leaves transactions open, the sessions
 * pile up, the alert arrives, diagnosis inspects Postgres, the fix ends them, verification sees them gone.
 */
const role = `app_${randomBytes(4).toString('hex')}`;
let ordersDb: TestDatabase;
let admin: pg.Client;
let h: WorkflowHarness;
const leaked: pg.Client[] = [];

beforeAll(async () => {
  ordersDb = await createTestDatabase('orders');
  admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`create role ${role} login`);
  for (let i = 0; i < 4; i++) {
    const url = new URL(ordersDb.url);
    url.username = role;
    const client = new pg.Client({ connectionString: url.toString(), application_name: 'orders-worker' });
    client.on('error', () => undefined); // terminated below, on purpose
    await client.connect();
    await client.query('begin');
    await client.query('select 1');
    leaked.push(client);
  }
  // terminate_backends only ends sessions idle for at least 30 s: the real rule, so the test waits.
  await new Promise((resolve) => setTimeout(resolve, 31_000));
  const targets = TargetsSchema.parse({ postgres: { 'orders-db': { url: ordersDb.url } } });
  h = await createWorkflowHarness({ targets });
}, 90_000);

afterAll(async () => {
  await h.close();
  await Promise.all(leaked.map((c) => c.end().catch(() => undefined)));
  await ordersDb.drop();
  await admin.query(`drop role if exists ${role}`);
  await admin.end();
});

async function stateOf(id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

describe('Postgres connection slots held by idle transactions', () => {
  it('is diagnosed with postgres.activity, fixed by terminate_backends after approval, and verified', async () => {
    const by = { by: { id: 'dba-alice' }, source: { kind: 'command' as const } };
    const alert = { source: 'prometheus', fingerprint: 'orders-db-conns', title: 'orders-db: too many connections', severity: 'high', service: 'orders-db' } as const;
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'alertmanager' } });

    const diagnosed = await stateOf(id, 'open.awaitingDiagnosisApproval');
    expect(diagnosed.context.diagnosis).toMatchObject({ category: 'database-connections', affectedService: 'orders-db' });
    expect(diagnosed.context.diagnosis?.summary).toMatch(/^4 session\(s\) idle in a transaction on orders-db/);
    await h.runtime.send(id, { type: 'diagnosis.approved', ...by });

    const proposed = await stateOf(id, 'open.awaitingProposalApproval');
    expect(proposed.context.proposal?.steps[0]).toMatchObject({ pluginId: 'postgres.terminate_backends' });
    expect(proposed.context.proposal?.steps[0]?.plan).toMatch(/terminate/i);
    await h.runtime.send(id, { type: 'proposal.approved', ...by });

    const resolved = await stateOf(id, 'resolved');
    expect(resolved.context.execution?.steps[0]).toMatchObject({ status: 'success' });
    expect(resolved.context.verification).toMatchObject({ passed: true });
    const { rows } = await admin.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where usename = $1 and state = 'idle in transaction'`,
      [role],
    );
    expect(Number(rows[0]?.n)).toBe(0);
    const outcomes = await Promise.allSettled(leaked.map((client) => client.query('select 1')));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  });
});

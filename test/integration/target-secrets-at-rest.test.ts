import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTargets } from '../../src/plugins/load-targets';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { columnsContaining } from '../support/db-scan';
import { approveThrough, checkoutDown, stateOf } from '../support/sensitive-fix';
import { createWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

let service: FlakyService | undefined;
let h: WorkflowHarness | undefined;
let dir: string | undefined;

afterEach(async () => {
  await h?.close();
  await service?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  [h, service, dir] = [undefined, undefined, undefined];
});

const secret = (name: string) => `${name}-${randomBytes(12).toString('hex')}`;

describe('secrets the targets file references', () => {
  it('are used to reach the targets, and land in no column of any table after a whole incident', async () => {
    const env = { CHECKOUT_TOKEN: secret('token'), CHECKOUT_ADMIN_KEY: secret('admin'), ORDERS_DB_PASSWORD: secret('pw') };
    service = await startFlakyService({ requireHeaders: { authorization: `Bearer ${env.CHECKOUT_TOKEN}` } });
    dir = await mkdtemp(join(tmpdir(), 'target-secrets-'));
    const file = join(dir, 'targets.yaml');
    await writeFile(
      file,
      [
        'http:',
        '  checkout:',
        `    baseUrl: ${service.url}`,
        '    headers: { Authorization: "Bearer ${CHECKOUT_TOKEN}" }',
        '    actions:',
        '      restart: { method: POST, path: /admin/restart, risk: medium, remediatesUnhealthy: true, headers: { X-Admin-Key: "${CHECKOUT_ADMIN_KEY}" } }',
        'postgres:',
        '  orders: { url: "postgres://ops:${ORDERS_DB_PASSWORD}@127.0.0.1:1/orders" }',
      ].join('\n'),
    );
    const targets = await loadTargets(file, env);
    expect(targets.http.checkout?.headers.Authorization).toBe(`Bearer ${env.CHECKOUT_TOKEN}`);

    // No scrubber here: this shows that nothing stores them, not that redaction hides them.
    h = await createWorkflowHarness({ targets });
    const { id } = await h.runtime.create({ alert: { ...checkoutDown(), labels: {} }, chatId: 'ops', by: { id: 'monitor' } });
    await stateOf(h, id, 'open.awaitingDiagnosisApproval');
    const resolved = await approveThrough(h, id);
    // The service answers 401 without the token: a verified fix means the resolved secret was sent.
    expect(resolved.context.verification?.passed).toBe(true);
    expect(service.restarts).toBe(1);

    for (const value of Object.values(env)) expect(await columnsContaining(h.orm, value)).toEqual([]);
    // The scan does see what is stored: the target's URL is in the plans and the audit trail.
    expect(await columnsContaining(h.orm, service.url)).toEqual(expect.arrayContaining(['incidents.snapshot', 'proposals.data', 'step_journal.result']));
  });
});

import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runbook } from '../../src/memory';
import { RunbookDiagnostician } from '../../src/diagnosis/offline/runbook-diagnostician';
import { TargetsSchema } from '../../src/plugins/targets';
import type { Targets } from '../../src/plugins/targets';
import { DataCipher } from '../../src/security/encryption';
import { dataKey } from '../../src/security/encryption-keys';
import type { DataKey } from '../../src/security/encryption-keys';
import type { TestDatabase } from './database';
import { eventually } from './runtime-harness';
import { createWorkflowHarness } from './workflow-harness';
import type { WorkflowHarness } from './workflow-harness';

/** A fresh random key, as `openssl rand -base64 32` would give. */
export const randomKey = (): DataKey => dataKey(randomBytes(32).toString('base64'));
export const cipherWith = (current?: DataKey, ...old: DataKey[]): DataCipher => new DataCipher(current, old);

/**
 * A fix whose first step is a sensitive one: `shell.run` prints a line people see (the summary) and
 * then `marker`, which only the command's output holds (not the configuration, so not the plan);
 * then checkout is restarted and verified. The command reads a file written to `dir`.
 */
export async function sensitiveFixTargets(serviceUrl: string, marker: string, dir: string): Promise<Targets> {
  const file = join(dir, 'note.txt');
  await writeFile(file, `restart noted\n${marker}\n`);
  return TargetsSchema.parse({
    http: { checkout: { baseUrl: serviceUrl, actions: { restart: { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true, risk: 'medium' } } } },
    hosts: { web1: { commands: { note: { program: '/usr/bin/cat', argv: [file], risk: 'low' } } } },
  });
}

const RUNBOOK: Runbook = {
  path: 'checkout-down.md',
  title: 'Checkout down',
  services: [],
  labels: { alertname: ['CheckoutDown'] },
  keywords: [],
  body: '',
  hash: 'test',
  diagnostics: [],
  remediation: [
    { plugin: 'shell.run', args: { target: '{{host}}', command: 'note' }, summary: 'Note the restart on the host' },
    { plugin: 'http.call', args: { target: '{{target}}', action: '{{remedy}}' }, summary: 'Restart checkout' },
  ],
  verification: [{ plugin: 'http.probe', args: { target: '{{target}}' } }],
};

/** The offline engine following only that runbook (no built-in rules, which would pick the HTTP fix alone). */
export function sensitiveFixHarness(targets: Targets, options: { cipher?: DataCipher; db?: TestDatabase } = {}): Promise<WorkflowHarness> {
  return createWorkflowHarness({
    targets,
    ...options,
    diagnostician: ({ plugins, runner, logger }) => new RunbookDiagnostician(plugins, targets, runner, logger, { list: () => [RUNBOOK] }, []),
  });
}

export const checkoutDown = () => ({
  source: 'test',
  fingerprint: `checkout-down-${randomBytes(4).toString('hex')}`,
  title: 'CheckoutDown: checkout returns 503',
  severity: 'high' as const,
  service: 'checkout',
  labels: { alertname: 'CheckoutDown', host: 'web1' },
});

export const approvedBy = { by: { id: 'alice' }, source: { kind: 'command' as const } };

export async function stateOf(h: WorkflowHarness, id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`, 20_000);
}

/** Approves the diagnosis and the fix of an incident waiting for its diagnosis to be approved; resolves it. */
export async function approveThrough(h: WorkflowHarness, id: string) {
  await h.runtime.send(id, { type: 'diagnosis.approved', ...approvedBy });
  await stateOf(h, id, 'open.awaitingProposalApproval');
  await h.runtime.send(id, { type: 'proposal.approved', ...approvedBy });
  return stateOf(h, id, 'resolved');
}

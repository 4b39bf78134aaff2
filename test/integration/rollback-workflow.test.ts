import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import kubernetesScale from '../../plugins/remediation/kubernetes-scale';
import { runPlugin } from '../../src/plugins/run-plugin';
import { accessFrom, parsePolicy } from '../../src/policy';
import { terminalConversation } from '../support/terminal-kit';
import { TargetsSchema } from '../../src/plugins/targets';
import type { DataCipher } from '../../src/security/encryption';
import { cipherWith, randomKey } from '../support/sensitive-fix';
import { EventNotAcceptedError } from '../../src/domain/errors';
import type { IncidentView } from '../../src/runtime/incident-service';
import { startFakeKubernetes } from '../fakes/kubernetes-api';
import type { FakeKubernetes } from '../fakes/kubernetes-api';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService, FlakyServiceOptions } from '../fakes/flaky-service';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { RunbookDiagnostician } from '../../src/diagnosis/offline/runbook-diagnostician';
import {
  alice,
  ASKING_POLICY,
  AUTOMATIC_POLICY,
  checkoutDown,
  checkoutRunbook,
  DEPLOYMENT,
  NAMESPACE,
  replicasOf,
  rollbackHarness,
  rollbackTargets,
  scalePatches,
  seedCheckout,
  startFlagService,
  START_REPLICAS,
  stateOf,
  STEP,
  steppedRows,
} from '../support/rollback-kit';
import type { RemediationStep } from '../../src/memory/runbooks';
import type { Timeouts } from '../../src/domain';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface World {
  service: FlakyService;
  cluster: FakeKubernetes;
  h: WorkflowHarness;
}

/** A flaky (unhealthy) checkout and a fake cluster where shop/checkout has 2 replicas, both closed after the test. */
async function checkout(options?: FlakyServiceOptions): Promise<Pick<World, 'service' | 'cluster'>> {
  const service = await startFlakyService(options);
  cleanups.push(() => service.close());
  const cluster = await startFakeKubernetes();
  cleanups.push(() => cluster.close());
  seedCheckout(cluster);
  return { service, cluster };
}

/** The checkout and its cluster, and a bot whose runbook's fix is `steps`. */
async function world(
  steps: RemediationStep[],
  options: { policy?: unknown; timeouts?: Partial<Timeouts>; db?: TestDatabase; service?: FlakyServiceOptions; cipher?: DataCipher } = {},
): Promise<World> {
  const { service, cluster } = await checkout(options.service);
  const harness = await rollbackHarness(rollbackTargets(service.url, cluster), checkoutRunbook(steps), options);
  // Closed once, by a test that stops it early or after the test.
  let closing: Promise<void> | undefined;
  const h = { ...harness, close: () => (closing ??= harness.close()) };
  cleanups.push(() => h.close());
  return { service, cluster, h };
}

/** Opens the incident and confirms its diagnosis: it then proposes the runbook's fix. */
async function openAndConfirm(h: WorkflowHarness): Promise<string> {
  const { id } = await h.runtime.create({ alert: checkoutDown(), chatId: 'ops', by: { id: 'monitor' } });
  await stateOf(h, id, 'open.awaitingDiagnosisApproval');
  await h.runtime.send(id, { type: 'diagnosis.approved', ...alice });
  return id;
}

async function approveFix(h: WorkflowHarness, id: string): Promise<IncidentView> {
  const waiting = await stateOf(h, id, 'open.awaitingProposalApproval');
  await h.runtime.send(id, { type: 'proposal.approved', ...alice });
  return waiting;
}

/** The last escalation card the console chat printed (it prints each card between two rules of '='). */
function escalationCard(h: WorkflowHarness): Promise<string> {
  return eventually(() => {
    const printed = h.chatOutput();
    const at = printed.lastIndexOf('] Escalated · ');
    const end = printed.indexOf('\n' + '='.repeat(72), at);
    return at >= 0 && end >= 0 ? printed.slice(at, end) : undefined;
  }, 'the escalation card');
}

/** What the executions ledger holds for the incident, in order. */
async function ledger(h: WorkflowHarness, id: string) {
  const rows = await h.executions.forIncident(id);
  return rows.map((r) => ({ pluginId: r.pluginId, key: r.idempotencyKey, status: r.status }));
}

describe('a scale that does not verify is scaled back', () => {
  it('asks a person for the rollback, scales back to 2 and escalates "Rolled back"', async () => {
    const { h, cluster, service } = await world([STEP.scaleUp]);
    const id = await openAndConfirm(h);
    const fixCard = await approveFix(h, id);
    expect(fixCard.context.proposal?.steps).toMatchObject([{ pluginId: 'kubernetes.scale', undo: 'rollback' }]);
    expect(fixCard.context.proposal?.kind).not.toBe('rollback');

    // The health check keeps failing after the scale: the rollback is proposed and the policy asks.
    const rollbackCard = await stateOf(h, id, 'open.awaitingProposalApproval');
    expect(replicasOf(cluster)).toBe(4);
    // The rollback is a new attempt (its context has no verification); the failed check is in the audit trail.
    const verified = (await h.store.timeline(id)).find((e) => e.eventType === 'xstate.done.actor.verify');
    expect(verified).toMatchObject({ fromState: 'remediating.verifying', toState: 'open.evaluatingPolicy' });
    expect(verified?.payload).toMatchObject({ output: { passed: false, checks: [{ pluginId: 'http.probe', passed: false }] } });
    expect(rollbackCard.context.decision?.action).toBe('require_approval');
    expect(rollbackCard.context.rollback).toMatchObject({ reason: 'Fix did not verify', notUndone: [] });
    const [scaled] = await steppedRows(h, id);
    expect(scaled).toMatchObject({ index: 0, of: 1, outcome: { pluginId: 'kubernetes.scale', status: 'success' } });
    expect(rollbackCard.context.proposal).toMatchObject({
      kind: 'rollback',
      steps: [{ pluginId: 'kubernetes.scale', undoes: scaled!.outcome.idempotencyKey }],
    });
    expect(rollbackCard.context.attempt).toBe(fixCard.context.attempt + 1);

    await h.runtime.send(id, { type: 'proposal.approved', ...alice });
    const escalated = await stateOf(h, id, 'escalated');
    expect(replicasOf(cluster)).toBe(START_REPLICAS);
    expect(escalated.context.escalation?.reason).toBe('Rolled back');
    expect(escalated.context.rollback?.reason).toBe('Fix did not verify');
    expect(escalated.context.execution).toMatchObject({ succeeded: true, steps: [{ pluginId: 'kubernetes.scale', status: 'success' }] });

    const rows = await steppedRows(h, id);
    expect(rows.map((r) => [r.index, r.of, r.outcome.pluginId, r.outcome.status])).toEqual([
      [0, 1, 'kubernetes.scale', 'success'],
      [0, 1, 'kubernetes.scale', 'success'],
    ]);
    const undoKey = rows[1]!.outcome.idempotencyKey;
    expect(undoKey).not.toBe(scaled!.outcome.idempotencyKey);
    expect(await ledger(h, id)).toEqual([
      { pluginId: 'kubernetes.scale', key: scaled!.outcome.idempotencyKey, status: 'success' },
      { pluginId: 'kubernetes.scale', key: undoKey, status: 'success' },
    ]);
    const undoRow = (await h.executions.forIncident(id)).find((r) => r.idempotencyKey === undoKey);
    expect(undoRow?.result).toMatchObject({ data: { from: 4, to: START_REPLICAS, changed: true } });
    // One PATCH up, one back: nothing ran twice.
    expect(scalePatches(cluster).map((r) => r.body)).toEqual([
      expect.objectContaining({ spec: { replicas: 4 } }),
      expect.objectContaining({ spec: { replicas: START_REPLICAS } }),
    ]);
    expect(service.restarts).toBe(0);
    const card = await escalationCard(h);
    expect(card).toContain('Rolled back: Scale checkout up');
    expect(card).toContain('Scaled deployment shop/checkout back from 4 to 2 replicas');
    // A rollback is not rolled back.
    await expect(h.runtime.send(id, { type: 'incident.rollback', ...alice })).rejects.toThrow(EventNotAcceptedError);
  });

  it('runs the rollback by itself when the policy auto-executes it', async () => {
    const { h, cluster } = await world([STEP.scaleUp], { policy: AUTOMATIC_POLICY });
    const id = await openAndConfirm(h);
    const escalated = await stateOf(h, id, 'escalated');
    expect(replicasOf(cluster)).toBe(START_REPLICAS);
    expect(escalated.context.escalation?.reason).toBe('Rolled back');
    expect(escalated.context.rollback?.reason).toBe('Fix did not verify');
    expect(escalated.context.decision?.action).toBe('auto_execute');
    expect(escalated.context.proposal?.kind).toBe('rollback');

    const rows = await steppedRows(h, id);
    expect(rows.map((r) => r.outcome.pluginId)).toEqual(['kubernetes.scale', 'kubernetes.scale']);
    expect(await ledger(h, id)).toEqual(rows.map((r) => ({ pluginId: 'kubernetes.scale', key: r.outcome.idempotencyKey, status: 'success' })));
    expect(scalePatches(cluster)).toHaveLength(2);
    const states = (await h.store.timeline(id)).map((e) => e.toState);
    // Fix and rollback both went straight from the policy to remediation: no card was asked for either.
    expect(states).not.toContain('open.awaitingProposalApproval');
    expect(states.filter((s) => s === 'open.evaluatingPolicy')).toHaveLength(2);
  });
});

describe('other undoable fixes, and results sealed at rest', () => {
  it("undoes an http.call through the undo action the targets file names, with the rollback's own idempotency key", async () => {
    const service = await startFlakyService();
    cleanups.push(() => service.close());
    const flags = await startFlagService();
    cleanups.push(() => flags.close());
    const targets = TargetsSchema.parse({
      http: {
        checkout: { baseUrl: service.url },
        flags: {
          baseUrl: flags.url,
          actions: {
            disable_new_checkout: { method: 'POST', path: '/flags/new-checkout/off', undo: 'enable_new_checkout' },
            enable_new_checkout: { method: 'POST', path: '/flags/new-checkout/on' },
          },
        },
      },
    });
    const disable = { plugin: 'http.call', args: { target: 'flags', action: 'disable_new_checkout' }, summary: 'Turn the new checkout off' };
    const h = await rollbackHarness(targets, checkoutRunbook([disable]), { policy: AUTOMATIC_POLICY });
    cleanups.push(() => h.close());
    const id = await openAndConfirm(h);
    const escalated = await stateOf(h, id, 'escalated');
    expect(escalated.context.escalation?.reason).toBe('Rolled back');
    expect(flags.enabled).toBe(true);
    const [run, undo] = await steppedRows(h, id);
    expect(flags.applied).toEqual([`/flags/new-checkout/off ${run!.outcome.idempotencyKey}`, `/flags/new-checkout/on ${undo!.outcome.idempotencyKey}:undo`]);
  });

  it('scales back from a result sealed with ENCRYPTION_KEY', async () => {
    const cipher = cipherWith(randomKey());
    const { h, cluster } = await world([STEP.scaleUp], { policy: AUTOMATIC_POLICY, cipher });
    const id = await openAndConfirm(h);
    const escalated = await stateOf(h, id, 'escalated');
    expect(escalated.context.escalation?.reason).toBe('Rolled back');
    expect(replicasOf(cluster)).toBe(START_REPLICAS);
    const stored = await h.orm.em.fork().getConnection().execute<{ result: unknown }[]>('select result from executions where incident_id = ? order by id', [id]);
    expect(stored).toHaveLength(2);
    // Sealed: the count the undo needed is not readable in the table.
    expect(JSON.stringify(stored)).not.toContain('"from":2');
  });
});

describe('a fix that fails part-way after a scale', () => {
  it('undoes the scale when the next step fails', async () => {
    const { h, cluster } = await world([STEP.scaleUp, STEP.broken], { policy: AUTOMATIC_POLICY });
    const id = await openAndConfirm(h);
    const escalated = await stateOf(h, id, 'escalated');
    expect(replicasOf(cluster)).toBe(START_REPLICAS);
    expect(escalated.context.escalation?.reason).toBe('Rolled back');
    expect(escalated.context.rollback).toMatchObject({ reason: 'Remediation failed', notUndone: [] });
    expect(escalated.context.proposal?.steps).toMatchObject([{ pluginId: 'kubernetes.scale' }]);

    const rows = await steppedRows(h, id);
    expect(rows.map((r) => [r.index, r.of, r.outcome.pluginId, r.outcome.status])).toEqual([
      [0, 2, 'kubernetes.scale', 'success'],
      [1, 2, 'http.call', 'error'],
      [0, 1, 'kubernetes.scale', 'success'],
    ]);
    expect((await ledger(h, id)).map((r) => [r.pluginId, r.status])).toEqual([
      ['kubernetes.scale', 'success'],
      ['http.call', 'error'],
      ['kubernetes.scale', 'success'],
    ]);
  });

  it('lists a step that ran but cannot be undone in notUndone, and undoes the rest', async () => {
    const { h, cluster, service } = await world([STEP.restart, STEP.scaleUp, STEP.broken], { policy: AUTOMATIC_POLICY });
    const id = await openAndConfirm(h);
    const escalated = await stateOf(h, id, 'escalated');
    expect(replicasOf(cluster)).toBe(START_REPLICAS);
    expect(service.restarts).toBe(1);
    expect(escalated.context.rollback?.reason).toBe('Remediation failed');
    expect(escalated.context.rollback?.notUndone).toEqual([expect.stringContaining('Restart checkout')]);
    // Only the scale is undone; the restart, which cannot be, is not called again.
    expect(escalated.context.proposal?.steps.map((s) => s.pluginId)).toEqual(['kubernetes.scale']);
    expect((await ledger(h, id)).map((r) => [r.pluginId, r.status])).toEqual([
      ['http.call', 'success'],
      ['kubernetes.scale', 'success'],
      ['http.call', 'error'],
      ['kubernetes.scale', 'success'],
    ]);
  });
});

describe('/rollback by a person', () => {
  /** A fix that verifies: checkout is made healthy before the fix is approved. */
  async function resolvedAfterScale(w: World): Promise<string> {
    const id = await openAndConfirm(w.h);
    await stateOf(w.h, id, 'open.awaitingProposalApproval');
    w.service.setHealthy(true);
    await w.h.runtime.send(id, { type: 'proposal.approved', ...alice });
    const resolved = await stateOf(w.h, id, 'resolved');
    expect(resolved.status).toBe('done');
    expect(resolved.context.verification?.passed).toBe(true);
    expect(replicasOf(w.cluster)).toBe(4);
    return id;
  }

  it('undoes the fix of a resolved incident, then escalates', async () => {
    const w = await world([STEP.scaleUp]);
    const id = await resolvedAfterScale(w);
    expect(w.h.runtime.isLive(id)).toBe(false);

    await w.h.runtime.send(id, { type: 'incident.rollback', reason: 'checkout is slower since', ...alice });
    const card = await stateOf(w.h, id, 'open.awaitingProposalApproval');
    expect(card.context.rollback).toMatchObject({ reason: 'Rolled back by hand', by: { id: 'alice' } });
    expect(card.context.proposal?.kind).toBe('rollback');
    expect(replicasOf(w.cluster)).toBe(4);

    await w.h.runtime.send(id, { type: 'proposal.approved', ...alice });
    const escalated = await stateOf(w.h, id, 'escalated');
    expect(replicasOf(w.cluster)).toBe(START_REPLICAS);
    expect(escalated.context.escalation?.reason).toBe('Rolled back');
    expect(escalated.context.rollback?.reason).toBe('Rolled back by hand');
    expect(escalated.context.resolution).toBeNull();
    const timeline = await w.h.store.timeline(id);
    expect(timeline.find((e) => e.eventType === 'incident.rollback')).toMatchObject({ actor: 'alice', fromState: 'resolved' });
    expect((await steppedRows(w.h, id)).map((r) => r.outcome.pluginId)).toEqual(['kubernetes.scale', 'kubernetes.scale']);
    expect(scalePatches(w.cluster)).toHaveLength(2);
  });

  it('/rollback typed in the chat: only an operator, and each refusal says why', async () => {
    const w = await world([STEP.scaleUp]);
    const access = accessFrom(() => parsePolicy({ roles: { operator: ['alice'] }, everyone: 'viewer' }, 'test policy'));
    const terminal = terminalConversation({ orm: w.h.orm, logger: w.h.logger, service: w.h.runtime, access });
    const id = await openAndConfirm(w.h);
    expect(await terminal.say(`/rollback ${id}`, 'alice')).toContain(`Only an escalated or resolved incident can be rolled back; ${id} is not`);
    await stateOf(w.h, id, 'open.awaitingProposalApproval');
    w.service.setHealthy(true);
    await w.h.runtime.send(id, { type: 'proposal.approved', ...alice });
    await stateOf(w.h, id, 'resolved');

    const bob = await terminal.say(`/rollback ${id}`, 'bob');
    expect(bob).toContain('Only people holding operator or admin may roll back a fix (you hold viewer)');
    expect((await w.h.runtime.get(id))?.state).toBe('resolved');
    expect(await terminal.say(`/rollback ${id} slower since`, 'alice')).toContain(`Rolling back the last fix of ${id}`);
    const card = await stateOf(w.h, id, 'open.awaitingProposalApproval');
    expect(card.context.rollback).toMatchObject({ reason: 'Rolled back by hand', by: { id: 'alice' } });
    await w.h.runtime.send(id, { type: 'proposal.approved', ...alice });
    await stateOf(w.h, id, 'escalated');
    expect(replicasOf(w.cluster)).toBe(START_REPLICAS);
    expect(await terminal.say(`/rollback ${id}`, 'alice')).toContain(`The last fix of ${id} has already been rolled back`);
  });

  it('is refused once ROLLBACK_WINDOW has passed', async () => {
    const w = await world([STEP.scaleUp], { timeouts: { rollbackWindow: 1 } });
    const id = await resolvedAfterScale(w);
    const before = await w.h.runtime.get(id);
    const resolvedAt = Date.parse(before?.context.resolution?.at ?? '');
    await eventually(() => (Date.now() - resolvedAt > 1 ? true : undefined), 'the 1 ms window to pass');

    await expect(w.h.runtime.send(id, { type: 'incident.rollback', ...alice })).rejects.toThrow(EventNotAcceptedError);
    const after = await w.h.runtime.get(id);
    expect(after).toMatchObject({ state: 'resolved', version: before?.version });
    expect(replicasOf(w.cluster)).toBe(4);
  });

  it('is refused when the fix has nothing that can be undone', async () => {
    const w = await world([STEP.restart]);
    const id = await openAndConfirm(w.h);
    await approveFix(w.h, id);
    const resolved = await stateOf(w.h, id, 'resolved');
    expect(resolved.context.proposal?.steps).toMatchObject([{ pluginId: 'http.call', undo: 'none' }]);

    await expect(w.h.runtime.send(id, { type: 'incident.rollback', ...alice })).rejects.toThrow(EventNotAcceptedError);
    expect((await w.h.runtime.get(id))?.version).toBe(resolved.version);
    expect(w.service.restarts).toBe(1);
  });
});

describe('a crash between steps', () => {
  it('resumes at step 2 on a new runtime; step 1 ran once', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    // Step 2 (the restart) is held by the service until the first runtime is gone.
    const first = await world([STEP.scaleUp, STEP.restart], { db, service: { holdRestart: true } });
    const { h, cluster, service } = first;
    const id = await openAndConfirm(h);
    await approveFix(h, id);
    await eventually(() => (service.restarts === 1 ? true : undefined), 'step 2 to reach the service');
    // Step 1 was recorded before step 2 started.
    expect(await steppedRows(h, id)).toMatchObject([{ index: 0, of: 2, outcome: { pluginId: 'kubernetes.scale', status: 'success' } }]);
    expect(replicasOf(cluster)).toBe(4);
    await h.close();

    const second = await rollbackHarness(rollbackTargets(service.url, cluster), checkoutRunbook([STEP.scaleUp, STEP.restart]), { db });
    cleanups.push(() => second.close());
    expect(await second.runtime.recover()).toBe(1);
    const resolved = await stateOf(second, id, 'resolved');
    expect(resolved.context.execution).toMatchObject({
      succeeded: true,
      steps: [
        { pluginId: 'kubernetes.scale', status: 'success', recovered: false },
        { pluginId: 'http.call', status: 'success', recovered: true },
      ],
    });
    expect(scalePatches(cluster)).toHaveLength(1);
    expect(service.restarts).toBe(1);
    expect(replicasOf(cluster)).toBe(4);
    expect((await ledger(second, id)).map((r) => [r.pluginId, r.status])).toEqual([
      ['kubernetes.scale', 'success'],
      ['http.call', 'success'],
    ]);
    expect((await steppedRows(second, id)).map((r) => [r.index, r.outcome.pluginId])).toEqual([
      [0, 'kubernetes.scale'],
      [1, 'http.call'],
    ]);
  });

  it('does not scale again when step 1 ran but its report was never saved', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const { h, cluster, service } = await world([STEP.scaleUp, STEP.restart], { db });
    const sql = (text: string) => h.orm.em.fork().getConnection().execute(text);
    const id = await openAndConfirm(h);
    await stateOf(h, id, 'open.awaitingProposalApproval');
    // The database refuses every step report: step 1 acts, but the incident cannot record that it did.
    await sql(`alter table incident_events add constraint refuse_fix_stepped check (event_type <> 'fix.stepped')`);
    await h.runtime.send(id, { type: 'proposal.approved', ...alice });
    await eventually(async () => ((await ledger(h, id)).some((r) => r.pluginId === 'kubernetes.scale' && r.status === 'success') ? true : undefined), 'step 1 to run');
    expect(await steppedRows(h, id)).toEqual([]);
    await h.close();
    expect(service.restarts).toBe(0);
    const row = await (async () => {
      const second = await rollbackHarness(rollbackTargets(service.url, cluster), checkoutRunbook([STEP.scaleUp, STEP.restart]), { db });
      cleanups.push(() => second.close());
      await second.orm.em.fork().getConnection().execute(`alter table incident_events drop constraint refuse_fix_stepped`);
      expect(await second.runtime.recover()).toBe(1);
      return stateOf(second, id, 'resolved');
    })();
    expect(row.context.execution?.steps).toMatchObject([
      { pluginId: 'kubernetes.scale', status: 'success', recovered: true },
      { pluginId: 'http.call', status: 'success', recovered: false },
    ]);
    expect(scalePatches(cluster)).toHaveLength(1);
    expect(replicasOf(cluster)).toBe(4);
    expect(service.restarts).toBe(1);
  });
});

describe('what people read, and rollbacks that do not go to plan', () => {
  it('undoes two scales last first, and the escalation card says what was rolled back', async () => {
    const { h, cluster } = await world([STEP.scaleUp, STEP.scaleApiUp, STEP.broken], { policy: AUTOMATIC_POLICY });
    const id = await openAndConfirm(h);
    const escalated = await stateOf(h, id, 'escalated');
    expect([replicasOf(cluster), replicasOf(cluster, 'api')]).toEqual([START_REPLICAS, START_REPLICAS]);
    expect(escalated.context.proposal?.steps.map((s) => s.args.deployment)).toEqual(['api', DEPLOYMENT]);
    // The undo of api's scale reached the cluster before checkout's.
    const patches = cluster.requests.filter((r) => r.method === 'PATCH').map((r) => [r.path.split('/')[7], r.body]);
    expect(patches).toEqual([
      [DEPLOYMENT, expect.objectContaining({ spec: { replicas: 4 } })],
      ['api', expect.objectContaining({ spec: { replicas: 3 } })],
      ['api', expect.objectContaining({ spec: { replicas: START_REPLICAS } })],
      [DEPLOYMENT, expect.objectContaining({ spec: { replicas: START_REPLICAS } })],
    ]);
    const card = await escalationCard(h);
    expect(card).toContain('Rolled back: ');
    expect(card).toContain('What was undone');
    expect(card).toContain('Scaled deployment shop/api back from 3 to 2 replicas');
    expect(card).toContain('Scaled deployment shop/checkout back from 4 to 2 replicas');
  });

  it('does not scale back over a count someone else changed; the undo is recorded as failed', async () => {
    const { h, cluster, service } = await world([STEP.scaleUp]);
    const id = await openAndConfirm(h);
    await approveFix(h, id);
    await eventually(async () => ((await h.runtime.get(id))?.context.proposal?.kind === 'rollback' ? true : undefined), 'the rollback to be proposed');
    await stateOf(h, id, 'open.awaitingProposalApproval');
    // A person scales checkout by hand while the rollback waits for approval.
    const byHand = await runPlugin(
      kubernetesScale,
      { target: 'prod', namespace: NAMESPACE, deployment: DEPLOYMENT, replicas: 6 },
      { signal: new AbortController().signal, logger: pino({ level: 'silent' }), targets: rollbackTargets(service.url, cluster) },
    );
    expect(byHand.status).toBe('success');

    await h.runtime.send(id, { type: 'proposal.approved', ...alice });
    const escalated = await stateOf(h, id, 'escalated');
    expect(replicasOf(cluster)).toBe(6);
    expect(escalated.context.execution).toMatchObject({ succeeded: false, steps: [{ pluginId: 'kubernetes.scale', status: 'error' }] });
    expect(escalated.context.execution?.steps[0]?.summary).toContain('someone else changed it');
    const undoKey = escalated.context.execution!.steps[0]!.idempotencyKey;
    expect((await ledger(h, id)).find((r) => r.key === undoKey)?.status).toBe('error');
    // Escalated, and the reason does not claim a rollback that did not happen.
    expect(escalated.context.escalation?.reason).toBe('The rollback did not complete');
    const card = await escalationCard(h);
    expect(card).toContain('The rollback did not complete');
    expect(card).toMatch(/What cannot be undone\n- kubernetes\.scale error: Did not scale shop\/checkout back to 2/);
    // The card must not tell people the fix's change was undone: checkout still has the 6 replicas set by hand.
    expect(card).not.toContain('what it changed is undone');
    expect(card).not.toMatch(/^Rolled back:/m);
  });

  it('a rejected rollback leaves the fix in place, and /rollback can still undo it', async () => {
    const { h, cluster } = await world([STEP.scaleUp]);
    const id = await openAndConfirm(h);
    await approveFix(h, id);
    await eventually(async () => ((await h.runtime.get(id))?.context.proposal?.kind === 'rollback' ? true : undefined), 'the rollback to be proposed');
    await stateOf(h, id, 'open.awaitingProposalApproval');
    await h.runtime.send(id, { type: 'proposal.rejected', reason: 'not now', ...alice });
    const escalated = await stateOf(h, id, 'escalated');
    expect(escalated.context.escalation?.reason).toBe('Fix rejected');
    expect(replicasOf(cluster)).toBe(4);

    // The scale is still in place and within the window: a person may undo it after all.
    await h.runtime.send(id, { type: 'incident.rollback', ...alice });
    await stateOf(h, id, 'open.awaitingProposalApproval');
    await h.runtime.send(id, { type: 'proposal.approved', ...alice });
    const rolledBack = await stateOf(h, id, 'escalated');
    expect(rolledBack.context.escalation?.reason).toBe('Rolled back');
    expect(replicasOf(cluster)).toBe(START_REPLICAS);
  });

  it('alerts recovering while the rollback waits for approval are not announced as "before anything was changed"', async () => {
    const { h, cluster } = await world([STEP.scaleUp]);
    const id = await openAndConfirm(h);
    await approveFix(h, id);
    await eventually(async () => ((await h.runtime.get(id))?.context.proposal?.kind === 'rollback' ? true : undefined), 'the rollback to be proposed');
    await stateOf(h, id, 'open.awaitingProposalApproval');
    const alerts = { total: 1, firing: 0, affected: [], affectedTotal: 0, lastAt: new Date().toISOString() };
    await h.runtime.send(id, { type: 'alert.recovered', recovered: 1, alerts });
    // Whatever it does with the recovery, it settles: parked (an announcement, if any, went out before) or done.
    await eventually(async () => {
      const view = await h.runtime.get(id);
      return view && view.status !== 'active' ? view : undefined;
    }, 'the incident to settle');
    // The fix's scale is still in place: whatever the incident does now, it must not tell people nothing was changed.
    expect(replicasOf(cluster)).toBe(4);
    expect(h.chatOutput()).not.toContain('recovered at source before anything was changed');
  });

  // The run's result died with the process; the count the plugin read before acting (observe) was kept with the intent.
  it('a scale confirmed after a restart (its result lost) is scaled back to the count read before it acted', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const { h, cluster, service } = await world([STEP.scaleUp], { db });
    const id = await openAndConfirm(h);
    await stateOf(h, id, 'open.awaitingProposalApproval');
    // The step's reads of the count are slow (observe, then the run's own); once the second is under way, its PATCH is held.
    cluster.setLatency(300);
    const before = cluster.requests.length;
    const isScale = (r: { path: string }) => r.path.endsWith(`/deployments/${DEPLOYMENT}/scale`);
    await h.runtime.send(id, { type: 'proposal.approved', ...alice });
    await eventually(() => (cluster.requests.slice(before).filter((r) => r.method === 'GET' && isScale(r)).length >= 2 ? true : undefined), "the step's reads");
    cluster.setLatency(60_000);
    await eventually(() => (cluster.requests.slice(before).some((r) => r.method === 'PATCH' && isScale(r)) ? true : undefined), "the step's PATCH");
    cluster.setLatency(0);
    // The process dies just after the cluster applied the PATCH, before its answer was recorded: the cluster
    // has 4 replicas, the ledger an intent. (The fake cannot apply a request it then never answers, so the
    // change is made as a person would, and the step's own request is cut by the shutdown.)
    const applied = await runPlugin(
      kubernetesScale,
      { target: 'prod', namespace: NAMESPACE, deployment: DEPLOYMENT, replicas: 4 },
      { signal: new AbortController().signal, logger: pino({ level: 'silent' }), targets: rollbackTargets(service.url, cluster) },
    );
    expect(applied.status).toBe('success');
    await h.close();
    expect(replicasOf(cluster)).toBe(4);

    const second = await rollbackHarness(rollbackTargets(service.url, cluster), checkoutRunbook([STEP.scaleUp]), { db });
    cleanups.push(() => second.close());
    expect((await ledger(second, id)).map((r) => r.status)).toEqual(['intent']);
    expect(await second.runtime.recover()).toBe(1);
    // Confirmed, not repeated; checkout stays unhealthy, so the scale is to be undone.
    const card = await eventually(async () => {
      const view = await second.runtime.get(id);
      return view?.state === 'open.awaitingProposalApproval' && view.context.proposal?.kind === 'rollback' ? view : undefined;
    }, 'the rollback card');
    expect(card.context.rollback?.reason).toBe('Fix did not verify');
    await second.runtime.send(id, { type: 'proposal.approved', ...alice });
    const escalated = await stateOf(second, id, 'escalated');
    expect(escalated.context.execution?.steps[0]).toMatchObject({ status: 'success' });
    expect(escalated.context.escalation?.reason).toBe('Rolled back');
    expect(replicasOf(cluster)).toBe(START_REPLICAS);
  });

  it('a restart in the middle of the undo runs the undo again, which finds its way back to 2', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const { h, cluster, service } = await world([STEP.scaleUp], { db });
    const id = await openAndConfirm(h);
    await approveFix(h, id);
    await eventually(async () => ((await h.runtime.get(id))?.context.proposal?.kind === 'rollback' ? true : undefined), 'the rollback to be proposed');
    await stateOf(h, id, 'open.awaitingProposalApproval');
    // The cluster stops answering: the undo's intent is written, its request never completes.
    cluster.setLatency(60_000);
    const before = cluster.requests.length;
    await h.runtime.send(id, { type: 'proposal.approved', ...alice });
    await eventually(() => (cluster.requests.length > before ? true : undefined), 'the undo to reach the cluster');
    const intents = await ledger(h, id);
    expect(intents.map((r) => [r.pluginId, r.status])).toEqual([
      ['kubernetes.scale', 'success'],
      ['kubernetes.scale', 'intent'],
    ]);
    await h.close();
    cluster.setLatency(0);
    expect(replicasOf(cluster)).toBe(4);

    const second = await rollbackHarness(rollbackTargets(service.url, cluster), checkoutRunbook([STEP.scaleUp]), { db });
    cleanups.push(() => second.close());
    expect(await second.runtime.recover()).toBe(1);
    const escalated = await stateOf(second, id, 'escalated');
    expect(escalated.context.escalation?.reason).toBe('Rolled back');
    expect(replicasOf(cluster)).toBe(START_REPLICAS);
    expect((await ledger(second, id)).map((r) => [r.pluginId, r.status])).toEqual([
      ['kubernetes.scale', 'success'],
      ['kubernetes.scale', 'success'],
    ]);
    expect(scalePatches(cluster).filter((r) => !r.hungUp)).toHaveLength(2);
  });
});

describe('a rollback is made by code, never by the proposer', () => {
  it('a proposal that calls itself a rollback, with steps that claim to undo runs, is taken as a plain fix', async () => {
    const { service, cluster } = await checkout();
    const targets = rollbackTargets(service.url, cluster);
    const h = await createWorkflowHarness({
      targets,
      policy: ASKING_POLICY,
      diagnostician: ({ plugins, runner, logger }) => {
        const honest = new RunbookDiagnostician(plugins, targets, runner, logger, { list: () => [checkoutRunbook([STEP.scaleUp])] }, []);
        // An evil model: its fix claims to be a rollback whose step undoes a run (which would skip riskOf and call rollback).
        return {
          diagnose: (alert, ctx) => honest.diagnose(alert, ctx),
          propose: async (alert, diagnosis, ctx) => {
            const outcome = await honest.propose(alert, diagnosis, ctx);
            if (!outcome.fixable) return outcome;
            const steps = outcome.proposal.steps.map((step) => ({ ...step, undoes: 'INC-ANY/1/execute-0', undo: 'none' as const }));
            return { ...outcome, proposal: { ...outcome.proposal, kind: 'rollback' as const, steps } };
          },
        };
      },
    });
    cleanups.push(() => h.close());
    const id = await openAndConfirm(h);
    const card = await stateOf(h, id, 'open.awaitingProposalApproval');
    expect(card.context.proposal?.kind).toBeUndefined();
    expect(card.context.proposal?.steps[0]).not.toHaveProperty('undoes');
    // The plugin's own word on undo, not the proposer's 'none'.
    expect(card.context.proposal?.steps[0]?.undo).toBe('rollback');
    expect(h.chatOutput()).toContain('Fix needs approval');
    expect(h.chatOutput()).not.toContain('Roll back the fix');
    await h.runtime.send(id, { type: 'proposal.approved', ...alice });
    // It runs as the fix it is (a scale up), not as a plugin's rollback.
    await eventually(() => (replicasOf(cluster) === 4 ? true : undefined), 'the scale up');
  });
});

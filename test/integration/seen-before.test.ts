import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PastFixDiagnostician } from '../../src/diagnosis/offline/past-fix-diagnostician';
import { RunbookDiagnostician } from '../../src/diagnosis/offline/runbook-diagnostician';
import { createMemory, LocalEmbedder } from '../../src/memory';
import type { Memory } from '../../src/memory';
import { incidentDetails } from '../../src/server/console/incident-details';
import { ConsoleQueries } from '../../src/store/console-queries';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

const alert = (fingerprint: string) => ({ source: 'test', fingerprint, title: 'checkout returns 503', severity: 'high', service: 'checkout' }) as const;
const by = { by: { id: 'alice' }, source: { kind: 'command' as const } };

let service: FlakyService;
let h: WorkflowHarness;
let memory: Memory | undefined;

beforeEach(async () => {
  service = await startFlakyService();
  h = await createWorkflowHarness({
    targets: flakyTargets(service.url),
    // The offline engine with vector memory on the harness's database, as the app wires it without a model.
    diagnostician: ({ orm, plugins, targets, runner, logger }) => {
      const remembered = createMemory({ orm, embedder: new LocalEmbedder(), logger });
      memory = remembered;
      return new PastFixDiagnostician(new RunbookDiagnostician(plugins, targets, runner, logger), {
        recall: (a, signal, options) => remembered.recollect(a, signal, options),
        pastFixes: remembered.incidents,
        plugins,
        logger,
      });
    },
  });
  memory!.attach((listener) => h.runtime.subscribe(listener));
});
afterEach(async () => {
  await memory?.recorder.idle();
  await h.close();
  await service.close();
});

async function stateOf(id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

async function resolveWithItsFix(id: string) {
  await stateOf(id, 'open.awaitingDiagnosisApproval');
  await h.runtime.send(id, { type: 'diagnosis.approved', ...by });
  await stateOf(id, 'open.awaitingProposalApproval');
  await h.runtime.send(id, { type: 'proposal.approved', ...by });
  return stateOf(id, 'resolved');
}

describe('memory people can see', () => {
  it('shows the first incident and its verified fix on the second incident\'s diagnosis card and page, and proposes that fix again', async () => {
    const first = await h.runtime.create({ alert: alert('checkout-503-a'), chatId: 'ops', by: { id: 'monitor' } });
    const firstResolved = await resolveWithItsFix(first.id);
    // Nothing was remembered before it: its own diagnosis saw nothing before.
    expect(firstResolved.context.diagnosis?.seenBefore).toBeUndefined();
    await memory!.recorder.idle();

    service.setHealthy(false);
    const second = await h.runtime.create({ alert: alert('checkout-503-b'), chatId: 'ops', by: { id: 'monitor' } });
    const waiting = await stateOf(second.id, 'open.awaitingDiagnosisApproval');
    const seen = waiting.context.diagnosis?.seenBefore;
    expect(seen?.recent).toEqual({ days: 30, count: 1, fix: { pluginIds: ['http.call'], resolved: 1 } });
    expect(seen?.incidents).toHaveLength(1);
    expect(seen?.incidents[0]).toMatchObject({ incidentId: first.id, fix: ['http.call'], verified: true });
    expect(seen?.incidents[0]?.similarity).toBeGreaterThan(0.6);
    expect(seen?.incidents[0]?.cause).toBe(firstResolved.context.diagnosis?.rootCause);

    // The console chat prints the card as text (markdown rendered).
    const card = h.chatOutput();
    expect(card).toContain('Seen before\nThis happened once in the last 30 days; http.call fixed it once.\n');
    expect(card).toMatch(new RegExp(`- ${first.id} · \\w{3} \\d{1,2}, \\d\\d:\\d\\d · \\d+% similar\\n  Cause: checkout is unhealthy`));
    expect(card).toContain('Fix: http.call ✓ verified');

    // The incident page's data: the same list, read from the persisted diagnosis.
    const details = await incidentDetails((await h.runtime.get(second.id))!, new ConsoleQueries(h.orm));
    expect(details.seenBefore).toEqual(seen);

    // The offline proposal is the past fix, saying where it comes from; the policy still decides (approval here).
    await h.runtime.send(second.id, { type: 'diagnosis.approved', ...by });
    const proposing = await stateOf(second.id, 'open.awaitingProposalApproval');
    const proposal = proposing.context.proposal!;
    expect(proposal.reusedFrom).toMatchObject({ incidentId: first.id });
    expect(proposal.rationale).toContain(`This fix resolved ${first.id} on `);
    expect(proposal.steps.map((s) => [s.pluginId, s.args])).toEqual(firstResolved.context.proposal!.steps.map((s) => [s.pluginId, s.args]));
    expect(proposal.verification).toEqual(firstResolved.context.proposal!.verification);
    expect(proposal.steps[0]?.plan).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/admin\/restart/);
    expect(proposing.context.decision).toMatchObject({ action: 'require_approval', risk: 'medium' });
    expect(service.restarts).toBe(1);

    await h.runtime.send(second.id, { type: 'proposal.approved', ...by });
    await stateOf(second.id, 'resolved');
    expect(service.restarts).toBe(2);
  });
});

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemory, LocalEmbedder } from '../../src/memory';
import type { Embedder, Memory } from '../../src/memory';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
const by = { by: { id: 'alice' }, source: { kind: 'command' as const } };

/** Log lines as parsed objects, to see what the recorder reported. */
function capturingLogger() {
  const lines: { level: number; msg: string; incidentId?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** An embeddings service that is down. */
const unreachable: Embedder = { name: 'remote', dimensions: 256, embed: () => Promise.reject(new Error('embeddings service unreachable')) };

let service: FlakyService;
let h: WorkflowHarness;
let memory: Memory;
let broken: Memory;
const logs = capturingLogger();
beforeAll(async () => {
  service = await startFlakyService();
  h = await createWorkflowHarness({ targets: flakyTargets(service.url) });
  memory = createMemory({ orm: h.orm, embedder: new LocalEmbedder(), logger: pino({ level: 'silent' }) });
  broken = createMemory({ orm: h.orm, embedder: unreachable, logger: logs.logger });
  memory.attach((listener) => h.runtime.subscribe(listener));
  broken.attach((listener) => h.runtime.subscribe(listener));
});
afterAll(async () => {
  await Promise.all([memory.recorder.idle(), broken.recorder.idle()]);
  await h.close();
  await service.close();
});

async function stateOf(id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

const remembered = (id: string, outcome: string) =>
  eventually(async () => {
    const entry = await memory.store.get(`incident:${id}`);
    return entry?.metadata.outcome === outcome ? entry : undefined;
  }, `${id} remembered as ${outcome}`);

describe('remembering incidents as they end, through the real runtime', () => {
  it('remembers a verified fix as one that worked, and recalls it for the next such alert', async () => {
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
    await stateOf(id, 'open.awaitingDiagnosisApproval');
    await h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    await stateOf(id, 'open.awaitingProposalApproval');
    await h.runtime.send(id, { type: 'proposal.approved', ...by });
    await stateOf(id, 'resolved');

    const entry = await remembered(id, 'resolved');
    expect(entry).toMatchObject({ kind: 'incident', incidentId: id, title: 'checkout returns 503' });
    expect(entry.metadata).toMatchObject({
      fixWorked: true,
      diagnosis: { category: 'availability' },
      fix: { executed: true, steps: [{ pluginId: 'http.call', args: { target: 'checkout', action: 'restart' } }] },
    });

    const [recalled] = await memory.incidents.recallForAlert({ ...alert, fingerprint: 'other', status: 'firing', labels: {} });
    expect(recalled).toMatchObject({ incidentId: id, outcome: 'resolved', fixWorked: true });
  });

  it('remembers an incident dismissed by a person as ignored, without a fix', async () => {
    service.setHealthy(false);
    const { id } = await h.runtime.create({ alert: { ...alert, fingerprint: 'dismissed' }, chatId: 'ops', by: { id: 'monitor' } });
    await stateOf(id, 'open.awaitingDiagnosisApproval');
    await h.runtime.send(id, { type: 'incident.ignore', reason: 'planned maintenance', ...by });
    const entry = await remembered(id, 'ignored');
    expect(entry.metadata).toMatchObject({ fix: null, fixWorked: false, diagnosis: { category: 'availability' } });
  });

  it('logs a memory that cannot be written, and the incidents end all the same', async () => {
    await Promise.all([memory.recorder.idle(), broken.recorder.idle()]);
    const failures = logs.lines.filter((line) => line.msg === 'could not remember the incident; memory misses it');
    expect(failures.map((line) => line.level)).toEqual([40, 40]);
    expect(await memory.store.stamps('incident')).toHaveLength(2);
  });
});

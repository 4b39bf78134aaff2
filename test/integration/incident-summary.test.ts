import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatPort } from '../../src/chat/core/chat-port';
import { createMemory, LocalEmbedder } from '../../src/memory';
import type { Memory } from '../../src/memory';
import type { ImplementationDeps } from '../../src/implementations/deps';
import type { ReadyContext } from '../../src/implementations/incident-context';
import { postSummary } from '../../src/implementations/summary';
import { ENGLISH_UTC } from '../../src/i18n';
import { ConsoleQueries } from '../../src/store/console-queries';
import { SummaryStore } from '../../src/store/summary-store';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
const by = { by: { id: 'alice' }, source: { kind: 'command' as const } };
const occurrences = (text: string, part: string) => text.split(part).length - 1;

let service: FlakyService;
let h: WorkflowHarness;
let memory: Memory;
beforeEach(async () => {
  service = await startFlakyService();
  h = await createWorkflowHarness({ targets: flakyTargets(service.url), summaries: {} });
  memory = createMemory({ orm: h.orm, embedder: new LocalEmbedder(), logger: pino({ level: 'silent' }) });
  memory.attach((listener) => h.runtime.subscribe(listener));
});
afterEach(async () => {
  await memory.recorder.idle();
  await h.close();
  await service.close();
});

async function stateOf(id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

describe('the post-incident summary through the real chart', () => {
  it('is posted once in the thread when it resolves, kept with TTA and TTR, and remembered with the incident', async () => {
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
    await stateOf(id, 'open.awaitingDiagnosisApproval');
    await h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    await stateOf(id, 'open.awaitingProposalApproval');
    await h.runtime.send(id, { type: 'proposal.approved', ...by });
    const resolved = await stateOf(id, 'resolved');

    expect(occurrences(h.chatOutput(), `Incident summary · ${id}`)).toBe(1);
    expect(h.chatOutput()).toContain('Diagnosis approved by alice');
    const stored = await new SummaryStore(h.orm).latest(id);
    expect(stored).toMatchObject({ source: 'template', facts: { outcome: 'resolved', fired: { service: 'checkout' }, decisions: [{ by: 'alice' }, { by: 'alice' }] } });
    expect(stored?.facts.ttaMs).toBeGreaterThanOrEqual(0);
    expect(stored?.facts.ttrMs).toBeGreaterThanOrEqual(stored?.facts.ttaMs ?? 0);
    expect(stored?.text.en).toContain('**Outcome**: resolved.');
    expect(stored?.text['zh-CN']).toContain('**结果**：已解决。');

    await memory.recorder.idle();
    const [kept] = await h.orm.em.fork().getConnection().execute<{ content: string }[]>(`select content from knowledge where incident_id = ?`, [id]);
    expect(kept?.content).toContain('Summary: **What fired**: checkout returns 503 on checkout');

    // A re-run of the ending step after a crash (same attempt, same journal) posts nothing again.
    const posted: string[] = [];
    const recording = { postCard: (_chat: string, card: { en: { title: string } }) => (posted.push(card.en.title), Promise.resolve({ messageId: 'm' })) } as unknown as ChatPort;
    const deps = { journal: h.journal, incidentStore: h.store, chat: recording, logger: h.logger, i18n: ENGLISH_UTC, summaries: { store: new SummaryStore(h.orm) } } as unknown as ImplementationDeps;
    await postSummary(deps, resolved.context as ReadyContext, 'resolved', new AbortController().signal);
    expect(posted).toEqual([]);

    const times = await new ConsoleQueries(h.orm).responseTimes();
    expect(times.byService.find((row) => row.key === 'checkout')).toMatchObject({ incidents: 1, ttaCount: 1, ttrCount: 1 });
    expect(times.byWeek).toHaveLength(1);
    expect(times.byWeek[0]?.ttrMedianMs).toBe(stored?.facts.ttrMs);
  });
});

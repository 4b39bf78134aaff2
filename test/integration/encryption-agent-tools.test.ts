import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TargetsSchema } from '../../src/plugins/targets';
import type { DataCipher } from '../../src/security/encryption';
import { StepJournalStore } from '../../src/store/step-journal-store';
import { FakeAnthropicApi } from '../fakes/anthropic-api';
import { toolCalls } from '../fakes/llm-fake-common';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { columnsContaining } from '../support/db-scan';
import { alertFor, anthropicLlm, llmDiagnostician } from '../support/llm-harness';
import { cipherWith, randomKey, stateOf } from '../support/sensitive-fix';
import { createWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

const anthropic = new FakeAnthropicApi();
let anthropicUrl: string;
let service: FlakyService;
let logDir: string;
let marker: string;
let h: WorkflowHarness | undefined;

beforeAll(async () => {
  anthropicUrl = (await anthropic.start()).baseURL;
});
afterAll(async () => {
  await anthropic.stop();
});
beforeEach(async () => {
  anthropic.reset();
  service = await startFlakyService();
  logDir = await mkdtemp(join(tmpdir(), 'encryption-agent-'));
  marker = `card-${randomBytes(6).toString('hex')}`;
  // The marker is in the oldest match: in the tool's data, not among the latest lines its summary quotes.
  const lines = [`ERROR payment declined for ${marker}`, 'ERROR upstream timeout', 'ERROR upstream timeout', 'ERROR pool exhausted'];
  await writeFile(join(logDir, 'app.log'), `${lines.join('\n')}\n`);
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await service.close();
  await rm(logDir, { recursive: true, force: true });
});

/** The model searches the logs (a sensitive tool) once, then submits a diagnosis citing it. */
async function diagnosedIncident(cipher?: DataCipher) {
  const targets = TargetsSchema.parse({ http: { checkout: { baseUrl: service.url } }, hosts: { web1: { logFiles: [join(logDir, 'app.log')] } } });
  h = await createWorkflowHarness({ targets, cipher, diagnostician: llmDiagnostician(anthropicLlm(anthropicUrl)) });
  anthropic.enqueue(
    toolCalls({ name: 'logs_search', input: { host: 'web1', pattern: 'ERROR' } }),
    toolCalls({
      name: 'submit_diagnosis',
      input: {
        summary: 'checkout errors',
        rootCause: 'The payment upstream times out.',
        category: 'availability',
        severity: 'high',
        affectedService: 'checkout',
        evidence: [{ ref: 'E1', finding: 'ERROR lines in the application log' }],
        confidence: 0.6,
      },
    }),
  );
  const { id } = await h.runtime.create({ alert: alertFor('checkout'), chatId: 'ops', by: { id: 'monitor' } });
  const view = await stateOf(h, id, 'open.awaitingDiagnosisApproval');
  // The tool's full output did reach the model: it is what the journal must keep, and replay.
  expect(JSON.stringify(anthropic.requests[1]?.body)).toContain(marker);
  return { id, toolStep: `${id}/${view.context.attempt}/diagnose/turn-1/E1` };
}

describe("encryption at rest of the agent's tool output (real Postgres)", () => {
  it('with a key: the journaled tool call is sealed, nothing holds the output in plain text, and it reads back', async () => {
    const cipher = cipherWith(randomKey());
    const { toolStep } = await diagnosedIncident(cipher);
    expect(await columnsContaining(h!.orm, marker)).toEqual([]);
    const [raw] = await h!.orm.em.fork().getConnection().execute<{ result: unknown }[]>('select result from step_journal where idempotency_key = ?', [toolStep]);
    expect(raw?.result).toMatchObject({ $enc: 'v1', kid: cipher.keyId });
    const recorded = await new StepJournalStore(h!.orm, cipher).find(toolStep);
    expect(recorded?.result).toMatchObject({ fact: { ref: 'E1', pluginId: 'logs.search', status: 'success' }, content: expect.stringContaining(marker) as unknown });
  });

  it('without a key: the same output sits in the journal only, as plain JSON', async () => {
    const { toolStep } = await diagnosedIncident();
    expect(await columnsContaining(h!.orm, marker)).toEqual(['step_journal.result']);
    const [raw] = await h!.orm.em.fork().getConnection().execute<{ result: unknown }[]>('select result from step_journal where idempotency_key = ?', [toolStep]);
    expect(JSON.stringify(raw?.result)).toContain(marker);
  });
});

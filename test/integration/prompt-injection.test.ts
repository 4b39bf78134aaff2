import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RISKS } from '../../src/domain';
import { FakeAnthropicApi } from '../fakes/anthropic-api';
import { toolCalls } from '../fakes/llm-fake-common';
import type { RecordedRequest } from '../fakes/llm-fake-common';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { INJECTED_ALERTS } from '../fixtures/injected-alerts';
import { alertFor, anthropicLlm, llmDiagnostician } from '../support/llm-harness';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

const model = new FakeAnthropicApi();
let service: FlakyService;
let h: WorkflowHarness;
let attack: Record<string, unknown> = {};

/** A model that obeys every injection: it diagnoses whatever and proposes exactly what the alert asked. */
function compromised(request: RecordedRequest) {
  const tools = (request.body as { tools?: { name: string }[] }).tools?.map((t) => t.name) ?? [];
  if (tools.includes('submit_proposal')) return toolCalls({ name: 'submit_proposal', input: attack });
  return toolCalls({
    name: 'submit_diagnosis',
    input: { summary: 'Do as the alert says', rootCause: 'The alert explains it.', category: 'availability', severity: 'critical', evidence: [], confidence: 1 },
  });
}

beforeAll(async () => {
  const { baseURL } = await model.start();
  model.respond = compromised;
  service = await startFlakyService();
  // The most permissive built-in policy: low risk runs without asking.
  h = await createWorkflowHarness({ targets: flakyTargets(service.url), autoExecuteLowRisk: true, diagnostician: llmDiagnostician(anthropicLlm(baseURL)) });
});
afterAll(async () => {
  await h.close();
  await service.close();
  await model.stop();
});

describe('prompt injection corpus with a model that obeys every injection', () => {
  it.each(INJECTED_ALERTS)('$name: no action runs without policy and a person', async (injected) => {
    attack = injected.attack;
    const alert = alertFor('checkout', { title: injected.title, description: injected.description, labels: injected.labels ?? {} });
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
    const diagnosed = await settled(id, ['open.awaitingDiagnosisApproval']);
    // Code, not the model, sets confidence: "confidence 1" with no evidence is weak.
    expect(diagnosed.context.diagnosis?.confidence).toBeLessThanOrEqual(0.15);

    // Worst case: a person is fooled into confirming the diagnosis.
    await h.runtime.send(id, { type: 'diagnosis.approved', by: { id: 'alice' }, source: { kind: 'command' } });
    const after = await settled(id, ['open.awaitingProposalApproval', 'escalated']);

    expect(await h.executions.forIncident(id)).toEqual([]);
    expect(service.restarts).toBe(0);
    if ('refused' in injected.outcome) {
      expect(after.state).toBe('escalated');
      expect(after.context.escalation?.detail).toMatch(/Last proposal refused/);
    } else {
      // Only validated, registered plugins reach a card, at no less than their real risk.
      expect(after.state).toBe('open.awaitingProposalApproval');
      const decision = after.context.decision!;
      expect(decision.action).toBe('require_approval');
      expect(RISKS.indexOf(decision.risk)).toBeGreaterThanOrEqual(RISKS.indexOf(injected.outcome.approvalAt));
    }
  });

  it('ran nothing across the whole corpus', () => {
    expect(service.restarts).toBe(0);
  });
});

async function settled(id: string, states: string[]) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view && states.includes(view.state) ? view : undefined;
  }, `${id} to reach ${states.join(' or ')}`, 20_000);
}

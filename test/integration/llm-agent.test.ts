import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAnthropicApi, anthropicErrors } from '../fakes/anthropic-api';
import { FakeOpenAiApi } from '../fakes/openai-api';
import { toolCalls } from '../fakes/llm-fake-common';
import type { RecordedRequest } from '../fakes/llm-fake-common';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { pino } from 'pino';
import { createRegistry } from '../../src/plugins/discovery';
import { PluginRunner } from '../../src/plugins/plugin-runner';
import { AgentActivityStore } from '../../src/store/agent-activity-store';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { alertFor, anthropicLlm, llmDiagnostician, openAiLlm } from '../support/llm-harness';

const by = { by: { id: 'alice' }, source: { kind: 'command' as const } };
const anthropic = new FakeAnthropicApi();
const openai = new FakeOpenAiApi();
let anthropicUrl: string;
let openaiUrl: string;
let service: FlakyService;
let h: WorkflowHarness | undefined;

beforeAll(async () => {
  anthropicUrl = (await anthropic.start()).baseURL;
  openaiUrl = (await openai.start()).baseURL;
});
afterAll(async () => {
  await anthropic.stop();
  await openai.stop();
});
beforeEach(async () => {
  anthropic.reset();
  openai.reset();
  service = await startFlakyService();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await service.close();
});

const diagnosisOf = (input: Record<string, unknown>) => toolCalls({ name: 'submit_diagnosis', input });
const checkoutDown = {
  summary: 'checkout is down',
  rootCause: 'The checkout service answers its health check with 503.',
  category: 'availability',
  severity: 'high',
  affectedService: 'checkout',
  evidence: [{ ref: 'E1', finding: 'GET /healthz answers 503' }],
  confidence: 0.99,
};
const restartProposal = {
  fixable: true,
  summary: 'Restart checkout',
  rationale: 'A restart clears the bad state.',
  riskClaim: 'low',
  expectedOutcome: 'GET /healthz answers 200.',
  steps: [{ plugin: 'http.call', args: { target: 'checkout', action: 'restart' }, summary: 'Restart checkout' }],
  verification: [{ plugin: 'http.probe', args: { target: 'checkout' } }],
};

async function start(llm = anthropicLlm(anthropicUrl), extra: Parameters<typeof llmDiagnostician>[1] = {}) {
  h = await createWorkflowHarness({ targets: flakyTargets(service.url), diagnostician: llmDiagnostician(llm, extra) });
  return h;
}

async function stateOf(id: string, state: string) {
  return eventually(async () => {
    const view = await h!.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

type Block = { type: string; tool_use_id?: string; content?: unknown; is_error?: boolean; text?: string };
type Message = { role: string; content: string | Block[] };
const bodyOf = (request: RecordedRequest) => request.body as { system: string; messages: Message[]; tools: { name: string }[] };

describe('the LLM agent loop through the real Anthropic SDK', () => {
  it('diagnoses with parallel tool calls, proposes a validated fix, and the workflow resolves', async () => {
    const harness = await start();
    anthropic.enqueue(
      toolCalls({ name: 'http_probe', input: { target: 'checkout' } }, { name: 'make_coffee', input: {} }),
      diagnosisOf(checkoutDown),
    );
    const { id } = await harness.runtime.create({ alert: alertFor('checkout'), chatId: 'ops', by: { id: 'monitor' } });
    const waiting = await stateOf(id, 'open.awaitingDiagnosisApproval');

    const diagnosis = waiting.context.diagnosis!;
    expect(diagnosis).toMatchObject({ category: 'availability', affectedService: 'checkout', confidence: 0.5 });
    expect(diagnosis.confidenceNote).toMatch(/Supported by 1 check/);
    expect(diagnosis.evidence).toHaveLength(1);
    expect(diagnosis.evidence[0]).toMatchObject({ source: 'http.probe', status: 'error', citation: { ref: 'E1', observed: true } });
    expect(diagnosis.agent).toMatchObject({ provider: 'anthropic', turns: 2, toolCalls: 1 });
    expect(diagnosis.agent?.costUsd).toBeGreaterThan(0);
    expect(service.healthChecks).toBe(1);

    const [first, second] = anthropic.requests.map(bodyOf);
    expect(first!.system).toMatch(/never follow them/);
    expect(first!.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['http_probe', 'submit_diagnosis']));
    expect(first!.tools.map((t) => t.name)).not.toContain('http_call');
    expect(JSON.stringify(first!.messages[0])).toContain('<untrusted-alert>');
    const results = second!.messages.at(-1)!.content as Block[];
    expect(results.map((b) => [b.type, b.is_error ?? false])).toEqual([
      ['tool_result', true],
      ['tool_result', true],
    ]);
    expect(JSON.stringify(results)).toContain('"ref\\":\\"E1');
    expect(JSON.stringify(results)).toContain('Unknown tool make_coffee');

    anthropic.enqueue(
      toolCalls({ name: 'submit_proposal', input: { ...restartProposal, steps: [{ plugin: 'shell.exec', args: { cmd: 'reboot' }, summary: 'Reboot' }] } }),
      toolCalls({ name: 'submit_proposal', input: restartProposal }),
    );
    await harness.runtime.send(id, { type: 'diagnosis.approved', ...by });
    const proposing = await stateOf(id, 'open.awaitingProposalApproval');
    const proposal = proposing.context.proposal!;
    expect(proposal.steps.map((s) => [s.pluginId, s.args])).toEqual([['http.call', { target: 'checkout', action: 'restart' }]]);
    expect(proposal.expectedOutcome).toBe('GET /healthz answers 200.');
    expect(proposing.context.decision).toMatchObject({ action: 'require_approval', risk: 'medium' });
    const refusal = JSON.stringify(bodyOf(anthropic.requests.at(-1)!).messages.at(-1));
    expect(refusal).toContain('\\"shell.exec\\" is not a registered remediation plugin');
    expect(service.restarts).toBe(0);

    await harness.runtime.send(id, { type: 'proposal.approved', ...by });
    await stateOf(id, 'resolved');
    expect(service.restarts).toBe(1);

    const usage = await new AgentActivityStore(harness.orm).usage(id);
    expect(usage).toMatchObject({ modelTurns: 4, toolCalls: 1 });
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.costUsd).toBeGreaterThan(0);
  });

  it('resumes a loop interrupted mid-turn without repeating the paid turn or the tool run', async () => {
    const harness = await start();
    const diagnostician = llmDiagnostician(anthropicLlm(anthropicUrl))({ ...harness, plugins: await pluginsOf(), targets: flakyTargets(service.url), runner: runnerFor() });
    anthropic.enqueue(toolCalls({ name: 'http_probe', input: { target: 'checkout' } }), { kind: 'hang' });
    const crashed = new AbortController();
    const alert = alertFor('checkout');
    const firstRun = diagnostician.diagnose(alert, { incidentId: 'inc-resume', attempt: 1, signal: crashed.signal });
    await eventually(() => (anthropic.requests.length === 2 ? true : undefined), 'the second turn to be in flight');
    crashed.abort(new Error('process died'));
    await expect(firstRun).rejects.toThrow();

    anthropic.enqueue(diagnosisOf(checkoutDown));
    const restarted = llmDiagnostician(anthropicLlm(anthropicUrl))({ ...harness, plugins: await pluginsOf(), targets: flakyTargets(service.url), runner: runnerFor() });
    const diagnosis = await restarted.diagnose(alert, { incidentId: 'inc-resume', attempt: 1, signal: new AbortController().signal });
    expect(diagnosis.category).toBe('availability');
    expect(anthropic.requests).toHaveLength(3);
    expect(bodyOf(anthropic.requests[2]!)).toEqual(bodyOf(anthropic.requests[1]!));
    expect(service.healthChecks).toBe(1);
    const activity = await new AgentActivityStore(harness.orm).list('inc-resume');
    expect(activity.map((a) => [a.kind, a.activityKey.split('/').slice(2).join('/')])).toEqual([
      ['model_turn', 'diagnose/turn-1'],
      ['tool_call', 'diagnose/tool-E1'],
      ['model_turn', 'diagnose/turn-2'],
    ]);
  });

  it('escalates with "Diagnosis unavailable" when the provider stays overloaded, after bounded retries', async () => {
    const harness = await start();
    anthropic.respond = () => anthropicErrors.overloaded();
    const { id } = await harness.runtime.create({ alert: alertFor('checkout'), chatId: 'ops', by: { id: 'monitor' } });
    const escalated = await stateOf(id, 'escalated');
    expect(escalated.context.escalation).toMatchObject({ reason: 'Diagnosis unavailable' });
    expect(escalated.context.escalation?.detail).toMatch(/unavailable after 3 attempts.*overloaded/i);
    expect(anthropic.requests).toHaveLength(3);
    expect(harness.chatOutput()).toContain('Diagnosis unavailable');
  });

  it('does not retry a spend-limit error', async () => {
    const harness = await start();
    anthropic.respond = () => anthropicErrors.creditTooLow();
    const { id } = await harness.runtime.create({ alert: alertFor('checkout'), chatId: 'ops', by: { id: 'monitor' } });
    const escalated = await stateOf(id, 'escalated');
    expect(escalated.context.escalation?.detail).toMatch(/credit balance is too low/);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('gives up after the turn limit with an inconclusive diagnosis that keeps what the tools found', async () => {
    const harness = await start(anthropicLlm(anthropicUrl), { limits: { maxTurns: 3 } });
    anthropic.respond = () => toolCalls({ name: 'http_probe', input: { target: 'checkout' } });
    const { id } = await harness.runtime.create({ alert: alertFor('checkout'), chatId: 'ops', by: { id: 'monitor' } });
    const waiting = await stateOf(id, 'open.awaitingDiagnosisApproval');
    expect(waiting.context.diagnosis).toMatchObject({ category: 'unknown', confidence: 0.1 });
    expect(waiting.context.diagnosis?.summary).toMatch(/within 3 turns/);
    expect(waiting.context.diagnosis?.evidence.length).toBeGreaterThan(0);
    expect(anthropic.requests).toHaveLength(3);
    expect(bodyOf(anthropic.requests[2]!).tools.map((t) => t.name)).toEqual(['submit_diagnosis']);
  });

  it('shows similar past incidents and runbooks to the model as quoted data', async () => {
    const recall = () =>
      Promise.resolve({
        incidents: [{ incidentId: 'inc-old', title: 'checkout 503', summary: 'pool exhausted', fix: 'restart', outcome: 'resolved', similarity: 0.91, score: 1.01 }],
        knowledge: [{ title: 'HTTP service unhealthy', path: 'http.md', content: 'Probe, then restart.', similarity: 0.8 }],
      });
    const harness = await start(anthropicLlm(anthropicUrl), { recall });
    anthropic.enqueue(diagnosisOf({ ...checkoutDown, evidence: [] }));
    const { id } = await harness.runtime.create({ alert: alertFor('checkout'), chatId: 'ops', by: { id: 'monitor' } });
    const waiting = await stateOf(id, 'open.awaitingDiagnosisApproval');
    expect(waiting.context.diagnosis).toMatchObject({ confidence: 0.15 });
    expect(waiting.context.diagnosis?.confidenceNote).toMatch(/^Weak evidence/);
    const prompt = JSON.stringify(bodyOf(anthropic.requests[0]!).messages[0]);
    expect(prompt).toContain('<untrusted-past-incidents>');
    expect(prompt).toContain('inc-old');
    expect(prompt).toContain('<untrusted-runbooks>');
  });
});

describe('the LLM agent loop through the real OpenAI SDK', () => {
  it('diagnoses with tool calls and tool results in the Chat Completions format', async () => {
    const harness = await start(openAiLlm(openaiUrl));
    openai.enqueue(toolCalls({ name: 'http_probe', input: { target: 'checkout' } }), diagnosisOf(checkoutDown));
    const { id } = await harness.runtime.create({ alert: alertFor('checkout'), chatId: 'ops', by: { id: 'monitor' } });
    const waiting = await stateOf(id, 'open.awaitingDiagnosisApproval');
    expect(waiting.context.diagnosis).toMatchObject({ category: 'availability', confidence: 0.5, agent: { provider: 'openai', turns: 2 } });
    const second = openai.requests[1]!.body as { messages: { role: string; tool_call_id?: string }[] };
    expect(second.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
  });
});

async function pluginsOf() {
  return (await createRegistry({ logger: pino({ level: 'silent' }) })).registry;
}

function runnerFor() {
  return new PluginRunner({ targets: flakyTargets(service.url), logger: pino({ level: 'silent' }), cacheTtlMs: 0 });
}

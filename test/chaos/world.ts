import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { anthropicErrors } from '../fakes/anthropic-api';
import { FakeAnthropicApi } from '../fakes/anthropic-api';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { hang, toolCalls } from '../fakes/llm-fake-common';
import type { FakeReply, RecordedRequest } from '../fakes/llm-fake-common';
import { startFakeLark } from '../fakes/lark';
import type { FakeLark } from '../fakes/lark';
import { FaultProxy } from './fault-proxy';
import type { Prng } from './prng';

/** Targets whose fix runs by itself (inside the policy's medium scope); the others need a person's approval. */
export const AUTO_PREFIX = 'auto-';
export const SVC_PREFIX = 'svc-';
export const LARK_CHATS = ['oc_chaos_team_a', 'oc_chaos_team_b', 'oc_chaos_default'] as const;
export const TEAMS = ['a', 'b', 'c'] as const;
export const API_KEY = 'chaos-api-key-0123456789';
export const OPERATOR = 'chaos-operator';

/** Everything outside the bots: the services they fix, the Lark and LLM fakes behind dropping proxies, their config files. */
export interface World {
  targets: Map<string, FlakyService>;
  lark: FakeLark;
  larkProxy: FaultProxy;
  model: FakeAnthropicApi;
  modelProxy: FaultProxy;
  /** Model answers the responder turned into errors or hangs. */
  modelFaults: { rateLimited: number; overloaded: number; hung: number };
  env: Record<string, string>;
  llmEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function createWorld(options: { dir: string; targetNames: string[]; prng: Prng; restartDelayMs: number }): Promise<World> {
  const targets = new Map<string, FlakyService>();
  for (const name of options.targetNames) targets.set(name, await startFlakyService({ restartDelayMs: options.restartDelayMs }));

  const targetsFile = join(options.dir, 'targets.json');
  const http = Object.fromEntries(
    [...targets].map(([name, service]) => [name, { baseUrl: service.url, actions: { restart: { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true } } }]),
  );
  await writeFile(targetsFile, JSON.stringify({ http }, null, 2));

  // http.call is medium risk at least: inside the medium scope (auto-*) it runs by itself, elsewhere it counts as high and asks a person.
  const policyFile = join(options.dir, 'policy.json');
  const autoTargets = options.targetNames.filter((name) => name.startsWith(AUTO_PREFIX));
  await writeFile(
    policyFile,
    JSON.stringify({
      autoExecute: { upTo: 'medium', maxStepsPerIncident: 3, cooldown: 0, perHour: 100_000, perServicePerHour: 100_000 },
      everyone: 'operator',
      fences: { scopes: { medium: { targets: autoTargets.length ? autoTargets : ['none'] } } },
    }),
  );

  const lark = await startFakeLark();
  const larkProxy = new FaultProxy('lark', Number(new URL(lark.url).port), options.prng.fork('lark-proxy'));
  const larkUrl = await larkProxy.start();

  const modelFaults = { rateLimited: 0, overloaded: 0, hung: 0 };
  const model = new FakeAnthropicApi();
  const modelPrng = options.prng.fork('model');
  model.respond = (request) => {
    const roll = modelPrng.next();
    if (roll < 0.04) {
      modelFaults.rateLimited++;
      return anthropicErrors.rateLimited(1);
    }
    if (roll < 0.06) {
      modelFaults.overloaded++;
      return anthropicErrors.overloaded();
    }
    if (roll < 0.07) {
      modelFaults.hung++;
      return hang();
    }
    return modelTurn(request);
  };
  const { baseURL } = await model.start();
  const modelProxy = new FaultProxy('llm', Number(new URL(baseURL).port), options.prng.fork('llm-proxy'));
  const modelUrl = await modelProxy.start();

  const env: Record<string, string> = {
    TARGETS_FILE: targetsFile,
    POLICY_FILE: policyFile,
    API_KEYS: API_KEY,
    CONSOLE_OPERATOR: OPERATOR,
    CONSOLE_USER: OPERATOR,
    LARK_APP_ID: lark.appId,
    LARK_APP_SECRET: lark.appSecret,
    LARK_DOMAIN: larkUrl,
    LARK_DEFAULT_CHAT_ID: LARK_CHATS[2],
    ALERT_ROUTES: `team=a:${LARK_CHATS[0]},team=b:${LARK_CHATS[1]}`,
    LLM_PROVIDER: 'offline',
  };
  const llmEnv: Record<string, string> = {
    LLM_PROVIDER: 'anthropic',
    ANTHROPIC_API_KEY: 'sk-ant-api03-chaos-run-key',
    ANTHROPIC_BASE_URL: modelUrl,
    LLM_TIMEOUT: '3s',
    LLM_MAX_RETRIES: '3',
    LLM_REQUESTS_PER_MINUTE: '6000',
    LLM_CIRCUIT_FAILURES: '50',
    LLM_CIRCUIT_COOLDOWN: '2s',
  };

  return {
    targets,
    lark,
    larkProxy,
    model,
    modelProxy,
    modelFaults,
    env,
    llmEnv,
    async close() {
      await Promise.all([larkProxy.close(), modelProxy.close()]);
      await Promise.all([lark.close(), model.stop(), ...[...targets.values()].map((t) => t.close())]);
    },
  };
}

/**
 * The model's side of the agent loop, as a careful model would play it: probe the service the alert
 * names, then submit the diagnosis; for a fix, propose the target's restart with a health check.
 */
function modelTurn(request: RecordedRequest): FakeReply {
  const body = request.body as { tools?: { name: string }[]; messages?: { role: string; content: unknown }[] };
  const tools = new Set((body.tools ?? []).map((t) => t.name));
  const text = JSON.stringify(body.messages?.[0]?.content ?? '');
  const target = /service: ((?:svc|auto)-\d+)/.exec(text)?.[1] ?? 'unknown';
  const probed = JSON.stringify(body.messages ?? []).includes('tool_result');
  if (tools.has('submit_proposal')) {
    return toolCalls({
      name: 'submit_proposal',
      input: {
        fixable: true,
        summary: `Restart ${target}`,
        rationale: 'Its health check fails; the configured restart clears it.',
        riskClaim: 'medium',
        expectedOutcome: '/healthz answers 200',
        steps: [{ plugin: 'http.call', args: { target, action: 'restart' }, summary: `Restart ${target}` }],
        verification: [{ plugin: 'http.probe', args: { target } }],
      },
    });
  }
  if (!probed && tools.has('http_probe')) return toolCalls({ name: 'http_probe', input: { target } });
  return toolCalls({
    name: 'submit_diagnosis',
    input: {
      summary: `${target} is down`,
      rootCause: 'Its health check answers 503.',
      category: 'availability',
      severity: 'high',
      affectedService: target,
      evidence: [{ ref: 'E1', finding: '503 from /healthz' }],
      confidence: 0.9,
    },
  });
}

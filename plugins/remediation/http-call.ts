import { z } from 'zod';
import { definePlugin } from '../../src/plugins/plugin';
import type { Confirmation, PluginContext, PluginResult, RiskAssessment } from '../../src/plugins/plugin';
import type { HttpAction, HttpTarget, Targets } from '../../src/plugins/targets';
import { checkHealth, findHttpTarget, sendHttp, targetUrl, unknownTargetSummary } from '../diagnostic/http-probe';

const EXCERPT_CHARS = 200;

const CallArgsSchema = z
  .object({
    target: z.string().min(1),
    action: z.string().min(1),
  })
  .strict();
type CallArgs = z.infer<typeof CallArgsSchema>;

type Resolved = { target: HttpTarget; action: HttpAction } | { problem: string };

/** Only actions written in the targets config can be called: the model picks names, never URLs. */
function resolve(targets: Targets, args: CallArgs): Resolved {
  const target = findHttpTarget(targets, args.target);
  if (!target) return { problem: unknownTargetSummary(targets, args.target) };
  const action = Object.hasOwn(target.actions, args.action) ? target.actions[args.action] : undefined;
  if (action) return { target, action };
  const names = Object.keys(target.actions);
  const configured = names.length > 0 ? `configured actions: ${names.join(', ')}` : 'it has no actions configured';
  return { problem: `Unknown action "${args.action}" on http target "${args.target}"; ${configured}` };
}

function requestInit(target: HttpTarget, action: HttpAction, idempotencyKey?: string): RequestInit {
  const headers = new Headers({ ...target.headers, ...action.headers });
  // The step's ledger key: a service that dedupes by it applies a repeated request once.
  if (idempotencyKey !== undefined && !headers.has('idempotency-key')) headers.set('idempotency-key', idempotencyKey);
  if (action.body === undefined) return { method: action.method, headers };
  if (typeof action.body === 'string') return { method: action.method, headers, body: action.body };
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return { method: action.method, headers, body: JSON.stringify(action.body) };
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

async function call(args: CallArgs, ctx: PluginContext): Promise<PluginResult> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return { status: 'error', summary: resolved.problem };
  const { target, action } = resolved;
  const outcome = await sendHttp(targetUrl(target, action.path), requestInit(target, action, ctx.idempotencyKey), ctx.signal);
  const request = `${action.method} ${outcome.url}`;
  const data = { target: args.target, action: args.action, actionRisk: action.risk, url: outcome.url, latencyMs: outcome.latencyMs };
  if (outcome.kind === 'failure') {
    return { status: 'error', summary: `${request} failed: ${outcome.reason}`, data: { ...data, failure: outcome.reason } };
  }
  const { status } = outcome;
  if (status >= 200 && status < 300) return { status: 'success', summary: `${request} → ${status}`, data: { ...data, status } };
  const bodyExcerpt = excerpt(outcome.body);
  const detail = bodyExcerpt ? `: ${bodyExcerpt}` : '';
  return { status: 'error', summary: `${request} → ${status}${detail}`, data: { ...data, status, bodyExcerpt } };
}

function plan(args: CallArgs, ctx: PluginContext): Promise<string> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return Promise.resolve(`Cannot run: ${resolved.problem}`);
  const { target, action } = resolved;
  return Promise.resolve(`${action.method} ${targetUrl(target, action.path)} (target ${args.target}, action ${args.action})`);
}

/** The configured action's own risk: a restart hook may be declared high while the plugin's floor is medium. */
function riskOf(args: CallArgs, ctx: PluginContext): Promise<RiskAssessment | undefined> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return Promise.resolve(undefined);
  const { risk } = resolved.action;
  return Promise.resolve({ risk, reason: `action ${args.action} on ${args.target} is configured as ${risk} risk` });
}

/** Health is evidence only for actions that remedy a failing health check; for others, say we cannot tell. */
async function confirm(args: CallArgs, ctx: PluginContext): Promise<Confirmation> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved || !resolved.action.remediatesUnhealthy) return 'unknown';
  const health = await checkHealth(resolved.target, ctx.signal);
  if (health === 'healthy') return 'applied';
  return health === 'unhealthy' ? 'not_applied' : 'unknown';
}

export default definePlugin({
  id: 'http.call',
  version: 1,
  category: 'remediation',
  // A floor: the configured action's own risk (riskOf) may raise it; policy takes the higher.
  risk: 'medium',
  blastRadius: 'service',
  description:
    'Call a named action (e.g. restart) that is configured on an HTTP target. Only configured actions exist; ' +
    'there is no free-form URL. Use when a runbook or diagnosis says that action remedies the problem.',
  summary: (args) => `Call action ${args.action} on ${args.target}`,
  args: CallArgsSchema,
  timeoutMs: 30_000,
  idempotent: false,
  run: call,
  dryRun: plan,
  confirm,
  riskOf,
});

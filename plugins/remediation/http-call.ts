import { z } from 'zod';
import { definePlugin } from '../../src/plugins/plugin';
import type { Confirmation, PluginContext, PluginResult, RiskAssessment, Undo } from '../../src/plugins/plugin';
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

function call(args: CallArgs, ctx: PluginContext): Promise<PluginResult> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return Promise.resolve({ status: 'error', summary: resolved.problem });
  return send(args, resolved, ctx.idempotencyKey, ctx);
}

async function send(args: CallArgs, { target, action }: { target: HttpTarget; action: HttpAction }, idempotencyKey: string | undefined, ctx: PluginContext): Promise<PluginResult> {
  const outcome = await sendHttp(targetUrl(target, action.path), requestInit(target, action, idempotencyKey), ctx.signal);
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

/** A call can be undone when its action names an undo action in the targets file. */
function undoOf(args: CallArgs, ctx: PluginContext): Undo {
  const resolved = resolve(ctx.targets, args);
  return 'problem' in resolved || resolved.action.undo === undefined ? 'none' : 'rollback';
}

/**
 * Calls the action's undo action. Its Idempotency-Key is the step's key plus `:undo` (never the run's own,
 * which a deduping service would answer with the run's response): a repeated undo is applied once by such a service.
 */
function callUndo(args: CallArgs, _result: PluginResult, ctx: PluginContext): Promise<PluginResult> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return Promise.resolve({ status: 'error', summary: resolved.problem });
  const undo = resolved.action.undo;
  if (undo === undefined) return Promise.resolve({ status: 'error', summary: `Action ${args.action} on ${args.target} names no undo action` });
  const undoArgs = { target: args.target, action: undo };
  const undoing = resolve(ctx.targets, undoArgs);
  if ('problem' in undoing) return Promise.resolve({ status: 'error', summary: undoing.problem });
  const key = ctx.idempotencyKey === undefined ? undefined : `${ctx.idempotencyKey}:undo`;
  return send(undoArgs, undoing, key, ctx);
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
  // Per call: an action that names `undo: <other action>` in the targets file can be undone, others cannot.
  undo: 'rollback',
  undoOf,
  rollback: callUndo,
  confirm,
  riskOf,
});

import { z } from 'zod';
import { formatCommandLine, programProblem, runAllowed } from '../../src/plugins/connections/commands';
import { definePlugin } from '../../src/plugins/plugin';
import type { Confirmation, PluginContext, PluginResult } from '../../src/plugins/plugin';
import type { Targets } from '../../src/plugins/targets';
import { findHostTarget, unknownHostSummary } from '../diagnostic/host-resources';

const DEFAULT_SYSTEMCTL = '/usr/bin/systemctl';
/** systemd's default start timeout is 90 s; a restart waits for its job to finish. */
const RESTART_TIMEOUT_MS = 100_000;
const STATUS_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 16 * 1024;
const EXCERPT_CHARS = 300;
/** systemd's unit-name alphabet; checked even for configured names, and never a leading dash. */
const UNIT_NAME = /^[A-Za-z0-9:_.@\\][A-Za-z0-9:_.@\\-]*$/;
const UNIT_SUFFIX = /\.(service|socket|target|timer|mount|automount|path|slice|scope|swap|device)$/;

const ArgsSchema = z
  .object({
    target: z.string().min(1),
    unit: z.string().min(1).max(256),
  })
  .strict();
type Args = z.infer<typeof ArgsSchema>;

type Resolved = { systemctl: string; unit: string } | { problem: string };

/** systemd reads `nginx` as `nginx.service`; so do we when matching against the allowlist. */
function canonical(unit: string): string {
  return UNIT_SUFFIX.test(unit) ? unit : `${unit}.service`;
}

/** Only units listed on the host; the configured spelling is what gets passed to systemctl. */
function resolve(targets: Targets, args: Args): Resolved {
  const host = findHostTarget(targets, args.target);
  if (!host) return { problem: unknownHostSummary(targets, args.target) };
  const unit = host.units.find((allowed) => canonical(allowed) === canonical(args.unit));
  if (unit === undefined) {
    const allowed = host.units.length > 0 ? `allowed: ${host.units.join(', ')}` : 'it allows no units';
    return { problem: `Unit "${args.unit}" may not be restarted on host "${args.target}"; ${allowed}` };
  }
  if (!UNIT_NAME.test(unit)) return { problem: `Configured unit "${unit}" is not a valid systemd unit name` };
  const configured = Object.hasOwn(host.commands, 'systemctl') ? host.commands.systemctl : undefined;
  const systemctl = configured?.program ?? DEFAULT_SYSTEMCTL;
  const problem = programProblem(systemctl);
  return problem ? { problem: `hosts.${args.target}.commands.systemctl: ${problem}` } : { systemctl, unit };
}

const restartArgv = (unit: string): string[] => ['--no-ask-password', 'restart', '--', unit];

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/** The unit's ActiveState (`active`, `failed`, …), or undefined when systemctl could not tell. */
async function activeState(systemctl: string, unit: string, signal: AbortSignal): Promise<string | undefined> {
  const run = await runAllowed(systemctl, ['is-active', '--', unit], { timeoutMs: STATUS_TIMEOUT_MS, signal, maxOutputBytes: 1024 });
  if (run.startError || run.timedOut) return undefined;
  // is-active exits non-zero for anything but active, yet still prints the state.
  const state = run.stdout.trim().split('\n')[0];
  return state && /^[a-z-]+$/.test(state) ? state : undefined;
}

async function restart(args: Args, ctx: PluginContext): Promise<PluginResult> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return { status: 'error', summary: resolved.problem };
  const { systemctl, unit } = resolved;
  const argv = restartArgv(unit);
  const run = await runAllowed(systemctl, argv, { timeoutMs: RESTART_TIMEOUT_MS, signal: ctx.signal, maxOutputBytes: MAX_OUTPUT_BYTES });
  const data = { target: args.target, unit, command: [systemctl, ...argv], exitCode: run.exitCode, timedOut: run.timedOut };
  if (run.startError) return { status: 'error', summary: `Could not run ${systemctl}: ${run.startError}`, data };
  if (run.timedOut) return { status: 'error', summary: `Restart of ${unit} timed out after ${RESTART_TIMEOUT_MS} ms`, data };
  if (run.exitCode !== 0) {
    const stderr = excerpt(run.stderr);
    const detail = stderr ? `: ${stderr}` : '';
    return { status: 'error', summary: `Restart of ${unit} on ${args.target} failed (exit ${run.exitCode ?? run.signal})${detail}`, data: { ...data, stderr } };
  }
  const state = await activeState(systemctl, unit, ctx.signal);
  return { status: 'success', summary: `Restarted ${unit} on ${args.target}; now ${state ?? 'in an unknown state'}`, data: { ...data, activeState: state ?? null } };
}

function plan(args: Args, ctx: PluginContext): Promise<string> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return Promise.resolve(`Cannot run: ${resolved.problem}`);
  return Promise.resolve(`Run on host ${args.target}: ${formatCommandLine(resolved.systemctl, restartArgv(resolved.unit))}`);
}

/** Active after the interruption counts as applied; stopped or failed means the restart is still owed. */
async function confirm(args: Args, ctx: PluginContext): Promise<Confirmation> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return 'unknown';
  const state = await activeState(resolved.systemctl, resolved.unit, ctx.signal);
  if (state === 'active') return 'applied';
  return state === 'inactive' || state === 'failed' ? 'not_applied' : 'unknown';
}

/** The restart holds while the unit stays active. */
async function verify(args: Args, _result: PluginResult, ctx: PluginContext): Promise<PluginResult> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return { status: 'error', summary: resolved.problem };
  const state = await activeState(resolved.systemctl, resolved.unit, ctx.signal);
  const data = { target: args.target, unit: resolved.unit, activeState: state ?? null };
  if (state === undefined) return { status: 'no_data', summary: `Could not read the state of ${resolved.unit} on ${args.target}`, data };
  return { status: state === 'active' ? 'success' : 'error', summary: `${resolved.unit} on ${args.target} is ${state}`, data };
}

export default definePlugin({
  id: 'systemd.restart_unit',
  version: 1,
  category: 'remediation',
  risk: 'medium',
  // One unit on one host; if that host is the service's only instance, the whole service blinks.
  blastRadius: 'service',
  description:
    'Restart a systemd unit that the host target lists in `units` (`systemctl restart <unit>`; "nginx" means ' +
    '"nginx.service"). Use when a service on the host is hung or failed and a restart is the remedy. systemctl is ' +
    `${DEFAULT_SYSTEMCTL} unless the host target configures \`commands.systemctl.program\`; only that path is read from it.`,
  summary: (args) => `Restart ${args.unit} on ${args.target}`,
  args: ArgsSchema,
  timeoutMs: 120_000,
  // Repeating a restart ends in the same state, so recovery may rerun it when the unit is not active.
  idempotent: true,
  // A restarted process has lost its in-memory state; nothing can restart it backwards.
  undo: 'none',
  run: restart,
  dryRun: plan,
  verify,
  confirm,
});

import { z } from 'zod';
import type { Risk } from '../../src/domain';
import { formatCommandLine, programProblem, runAllowed, templateArgv } from '../../src/plugins/connections/commands';
import { definePlugin } from '../../src/plugins/plugin';
import { SecretScrubber } from '../../src/security';
import type { PluginContext, PluginResult, RiskAssessment } from '../../src/plugins/plugin';
import type { AllowedCommandSchema, Targets } from '../../src/plugins/targets';
import { findHostTarget, unknownHostSummary } from '../diagnostic/host-resources';

type AllowedCommand = z.infer<typeof AllowedCommandSchema>;

const MAX_OUTPUT_BYTES = 16 * 1024;

const ArgsSchema = z
  .object({
    target: z.string().min(1),
    command: z.string().min(1).max(63),
    /** Values for the command's declared arguments, by name; each is checked against its pattern. */
    args: z.record(z.string().max(63), z.string().max(1024)).default({}),
  })
  .strict();
type Args = z.infer<typeof ArgsSchema>;

type Resolved = { command: AllowedCommand; argv: string[] } | { problem: string };

/** Only commands written in the host's config run, and only with values their patterns accept. */
function resolve(targets: Targets, args: Args): Resolved {
  const host = findHostTarget(targets, args.target);
  if (!host) return { problem: unknownHostSummary(targets, args.target) };
  const command = Object.hasOwn(host.commands, args.command) ? host.commands[args.command] : undefined;
  if (!command) {
    const names = Object.keys(host.commands);
    const configured = names.length > 0 ? `configured commands: ${names.join(', ')}` : 'it has no commands configured';
    return { problem: `Unknown command "${args.command}" on host "${args.target}"; ${configured}` };
  }
  const programIssue = programProblem(command.program);
  if (programIssue) return { problem: `Command "${args.command}": ${programIssue}` };
  const templated = templateArgv(command, args.args);
  if ('problem' in templated) return { problem: `Command "${args.command}" refused: ${templated.problem}` };
  return { command, argv: templated.argv };
}

/** The configured risk of the command these args would run; policy can fold it in (the plugin's own risk is a floor). */
export function declaredCommandRisk(targets: Targets, args: Args): Risk | undefined {
  const resolved = resolve(targets, args);
  return 'problem' in resolved ? undefined : resolved.command.risk;
}

/** The command's configured risk, for policy: the plugin's own risk is only a floor. */
function riskOf(args: Args, ctx: PluginContext): Promise<RiskAssessment | undefined> {
  const risk = declaredCommandRisk(ctx.targets, args);
  return Promise.resolve(risk && { risk, reason: `command ${args.command} on ${args.target} is configured as ${risk} risk` });
}

/**
 * The bot's built-in redaction rules (linear in the output): this plugin's own key=value pattern was
 * cubic on `token.` repeated (7.6 s on 6 KB of output). The runner scrubs results again with the
 * configured patterns and known secrets.
 */
const builtinRules = new SecretScrubber();

/** Output goes to chat and the audit log: mask what looks like credentials, key=value secrets and known token formats. */
export function redactSecrets(text: string): string {
  return builtinRules.scrubText(text);
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

async function runCommand(args: Args, ctx: PluginContext): Promise<PluginResult> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return { status: 'error', summary: resolved.problem };
  const { command, argv } = resolved;
  const run = await runAllowed(command.program, argv, { timeoutMs: command.timeoutMs, signal: ctx.signal, maxOutputBytes: MAX_OUTPUT_BYTES });
  const stdout = redactSecrets(run.stdout);
  const stderr = redactSecrets(run.stderr);
  const data = {
    target: args.target,
    command: args.command,
    commandRisk: command.risk,
    argv: [command.program, ...argv],
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    stdout,
    stderr,
    stdoutTruncated: run.stdoutTruncated,
    stderrTruncated: run.stderrTruncated,
  };
  const name = `"${args.command}" on ${args.target}`;
  if (run.startError) return { status: 'error', summary: `Could not start ${command.program}: ${run.startError}`, data };
  if (run.timedOut) return { status: 'error', summary: `${name} timed out after ${command.timeoutMs} ms; its processes were killed`, data };
  if (run.exitCode === 0) return { status: 'success', summary: `${name} exited 0${stdout.trim() ? `: ${firstLine(stdout)}` : ''}`, data };
  const how = run.exitCode === null ? `was killed by ${run.signal}` : `exited ${run.exitCode}`;
  const detail = firstLine(stderr) || firstLine(stdout);
  return { status: 'error', summary: `${name} ${how}${detail ? `: ${detail}` : ''}`, data };
}

function plan(args: Args, ctx: PluginContext): Promise<string> {
  const resolved = resolve(ctx.targets, args);
  if ('problem' in resolved) return Promise.resolve(`Cannot run: ${resolved.problem}`);
  const { command, argv } = resolved;
  return Promise.resolve(
    `Run on host ${args.target}: ${formatCommandLine(command.program, argv)} ` +
      `(command "${args.command}", risk ${command.risk}, timeout ${command.timeoutMs} ms, no shell)`,
  );
}

export default definePlugin({
  id: 'shell.run',
  version: 1,
  category: 'remediation',
  // A floor, like http.call: the command's configured risk (riskOf) may raise it; shown in the plan and result.
  risk: 'medium',
  // What a configured command touches is not known here; assume the widest.
  blastRadius: 'cluster',
  description:
    'Run a command configured on a host target by name, with values for its declared arguments in `args` ' +
    '(each must match its pattern; none may start with "-"). There is no free-form command line and no shell. ' +
    'Returns the exit code and capped output with secrets masked. Not safe to repeat blindly.',
  summary: (args) => {
    const values = Object.entries(args.args).map(([name, value]) => `${name}=${value}`);
    return `Run ${args.command} on ${args.target}${values.length > 0 ? ` (${values.join(', ')})` : ''}`;
  },
  args: ArgsSchema,
  // Above the longest configured command timeout (600 s), so the command's own timeout fires first.
  timeoutMs: 610_000,
  idempotent: false,
  // No undo declared (unknown): what an allowlisted command changes, and whether it can be undone, is the command's own.
  // Command output is whatever the program prints; masking catches known secret formats, not all.
  sensitiveOutput: true,
  run: runCommand,
  dryRun: plan,
  riskOf,
});

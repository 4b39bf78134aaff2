import { z } from 'zod';
import { ExpectationSchema, RiskSchema } from '../../domain';
import type { FixProposal, FixStep, ProposalOutcome, VerificationCheck } from '../../domain';
import type { AnyPlugin } from '../../plugins/plugin';
import { describeCall } from '../../plugins/run-plugin';
import type { FinishTool } from './agent-loop';
import { jsonSchemaOf } from './diagnosis-submission';
import type { ToolCatalog } from './tool-catalog';

export const SUBMIT_PROPOSAL = 'submit_proposal';

const Call = { plugin: z.string().min(1).describe('A plugin id from the lists in the prompt'), args: z.record(z.string(), z.unknown()) };

const SubmissionSchema = z.discriminatedUnion('fixable', [
  z.object({ fixable: z.literal(false), reason: z.string().trim().min(1).max(1_000) }),
  z.object({
    fixable: z.literal(true),
    summary: z.string().trim().min(1).max(300),
    rationale: z.string().trim().min(1).max(2_000),
    riskClaim: RiskSchema.describe('Your estimate; policy takes the highest of this and what the plugins declare'),
    expectedOutcome: z.string().trim().min(1).max(1_000),
    steps: z.array(z.object({ ...Call, summary: z.string().trim().min(1).max(300) })).min(1).max(5),
    verification: z.array(z.object({ ...Call, expect: z.array(ExpectationSchema).max(5).optional() })).min(1).max(5),
  }),
]);
type Submission = z.infer<typeof SubmissionSchema>;

interface Catalogs {
  remediation: ToolCatalog;
  diagnostic: ToolCatalog;
}

/**
 * Every choice the model makes is checked by code: each step must be a registered remediation plugin
 * with arguments its schema accepts, each check a diagnostic plugin; anything else is refused and told
 * back, and never reaches a card or an executor.
 */
export function proposalFinishTool({ remediation, diagnostic }: Catalogs): FinishTool<ProposalOutcome> {
  return {
    spec: {
      name: SUBMIT_PROPOSAL,
      description: 'Submit the fix (remediation plugins with arguments, and how to verify it), or fixable=false with the reason.',
      inputSchema: jsonSchemaOf(SubmissionSchema),
    },
    accept(input) {
      const parsed = SubmissionSchema.safeParse(input);
      if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
      const submission = parsed.data;
      if (!submission.fixable) return { ok: true, value: { fixable: false, reason: submission.reason } };
      const problems: string[] = [];
      const steps = submission.steps.map((step, i) => checkStep(step, remediation, `steps[${i}]`, problems));
      const verification = submission.verification.map((check, i) => checkVerification(check, diagnostic, `verification[${i}]`, problems));
      if (problems.length > 0) return { ok: false, error: problems.join('\n') };
      return { ok: true, value: { fixable: true, proposal: proposalOf(submission, steps as FixStep[], verification as VerificationCheck[], remediation) } };
    },
  };
}

function proposalOf(submission: Extract<Submission, { fixable: true }>, steps: FixStep[], verification: VerificationCheck[], remediation: ToolCatalog): FixProposal {
  const rollback = steps.flatMap((step) => {
    const plugin = pluginById(remediation, step.pluginId);
    return plugin?.rollback ? [`${step.pluginId} can undo "${step.summary}" if the fix makes things worse.`] : [];
  });
  return {
    summary: submission.summary,
    rationale: submission.rationale,
    riskClaim: submission.riskClaim,
    expectedOutcome: submission.expectedOutcome,
    steps,
    verification,
    ...(rollback.length > 0 && { rollback }),
  };
}

function checkStep(step: { plugin: string; args: Record<string, unknown>; summary: string }, catalog: ToolCatalog, at: string, problems: string[]): FixStep | undefined {
  const plugin = resolve(step.plugin, catalog, 'remediation', at, problems);
  if (!plugin || !validArgs(plugin, step.args, at, problems)) return undefined;
  // The card shows the plugin's own description of the call beside the model's words.
  return { pluginId: plugin.id, args: step.args, summary: `${step.summary} (${describeCall(plugin, step.args)})` };
}

function checkVerification(
  check: { plugin: string; args: Record<string, unknown>; expect?: VerificationCheck['expect'] },
  catalog: ToolCatalog,
  at: string,
  problems: string[],
): VerificationCheck | undefined {
  const plugin = resolve(check.plugin, catalog, 'diagnostic', at, problems);
  if (!plugin || !validArgs(plugin, check.args, at, problems)) return undefined;
  return { pluginId: plugin.id, args: check.args, ...(check.expect && { expect: check.expect }) };
}

function resolve(name: string, catalog: ToolCatalog, category: string, at: string, problems: string[]): AnyPlugin | undefined {
  const plugin = pluginById(catalog, name) ?? catalog.plugin(name);
  if (!plugin) problems.push(`${at}: "${name}" is not a registered ${category} plugin; nothing was planned with it.`);
  return plugin;
}

function validArgs(plugin: AnyPlugin, args: Record<string, unknown>, at: string, problems: string[]): boolean {
  const parsed = plugin.args.safeParse(args);
  if (!parsed.success) problems.push(`${at}: invalid arguments for ${plugin.id}: ${z.prettifyError(parsed.error)}`);
  return parsed.success;
}

function pluginById(catalog: ToolCatalog, id: string): AnyPlugin | undefined {
  return catalog.plugins().find((plugin) => plugin.id === id);
}

import type { Alert, Diagnosis, Evidence, ProposalOutcome } from '../../domain';
import { unmetExpectation } from '../../domain';
import { answered, describeCall } from '../../plugins/run-plugin';
import type { PluginRunResult } from '../../plugins/run-plugin';
import { fillPlaceholders, matchRunbooks } from '../../memory/runbooks';
import type { Runbook, RunbookStep, VerificationStep } from '../../memory/runbooks';
import { confidenceFrom } from '../agent/diagnosis-submission';
import type { RuleTools } from './rules/rule';
import { runbookValues } from './runbook-values';

/** The runbooks the offline engine can follow (loaded from RUNBOOKS_DIR). */
export interface RunbookSource {
  list(): readonly Runbook[];
  /** Runbooks whose text is like the alert's (vector memory), best first: when no label or keyword matches. */
  similar?(alert: Alert, signal: AbortSignal): Promise<{ path: string; similarity: number }[]>;
}

/** Below this, a runbook found only by text similarity is not followed: too likely to be about something else. */
export const MIN_FOLLOW_SIMILARITY = 0.35;

interface Planned<Step extends RunbookStep> {
  step: Step;
  args: Record<string, unknown>;
}

/**
 * Follows a runbook's structured steps with no model: the best-matching runbook whose steps can be
 * filled from the alert and the targets runs its diagnostics and its verification checks. The checks
 * say what healthy looks like, so a failing check confirms the runbook's problem; its remediation,
 * filled the same way, is the proposal.
 */
export class RunbookFollower {
  constructor(private readonly source: RunbookSource) {}

  async diagnose(alert: Alert, tools: RuleTools, signal: AbortSignal): Promise<Diagnosis | undefined> {
    const chosen = this.choose(alert, tools, await this.candidates(alert, signal));
    if (!chosen) return undefined;
    const { runbook, reasons, diagnostics, verification } = chosen;
    const calls = [...diagnostics, ...verification];
    const results = await Promise.all(calls.map(({ step, args }) => tools.runDiagnostic(step.plugin, args)));
    const evidence = results.map((result, i) => evidenceOf(calls[i]!.step.plugin, result, `R${i + 1}`));
    const failing = verification.flatMap(({ step }, i) => {
      const problem = checkProblem(step, results[diagnostics.length + i]!);
      return problem ? [`${step.plugin}: ${problem}`] : [];
    });
    const basis = `Runbook "${runbook.title}" matched (${reasons.join(', ')}).`;
    const confirmed = failing.length > 0;
    const { confidence, note } = confidenceFrom(evidence, confirmed ? 0.8 : verification.length > 0 ? 0.4 : 0.5);
    return {
      summary: confirmed ? `${runbook.title}: ${failing[0]}` : `${runbook.title}: the runbook's checks pass now.`,
      rootCause: confirmed
        ? `${basis} Failing checks: ${failing.join('; ')}.`
        : `${basis} ${verification.length > 0 ? 'Its health checks pass, so the problem may be transient.' : 'It has no health checks; read the evidence.'}`,
      category: confirmed || verification.length === 0 ? (runbook.category ?? 'unknown') : 'transient',
      severity: alert.severity,
      confidence,
      confidenceNote: note,
      evidence,
      runbook: runbook.path,
    };
  }

  propose(alert: Alert, diagnosis: Diagnosis, tools: RuleTools): ProposalOutcome | undefined {
    const runbook = this.source.list().find((r) => r.path === diagnosis.runbook);
    if (!runbook || diagnosis.category === 'transient') return undefined;
    if (runbook.remediation.length === 0) return { fixable: false, reason: `Runbook "${runbook.title}" has no automatic fix; follow its steps by hand.` };
    const values = runbookValues(alert, tools.targets);
    const steps = plan(runbook.remediation, values);
    const verification = plan(runbook.verification, values);
    if (!steps || !verification || verification.length === 0) {
      return { fixable: false, reason: `Runbook "${runbook.title}": its fix or its checks need values this alert does not give.` };
    }
    return {
      fixable: true,
      proposal: {
        summary: runbook.remediation.map((step) => step.summary).join('; '),
        rationale: diagnosis.rootCause,
        riskClaim: 'low',
        expectedOutcome: `The runbook's checks pass: ${runbook.verification.map((v) => v.plugin).join(', ')}.`,
        steps: steps.map(({ step, args }) => {
          const plugin = tools.plugins.get(step.plugin);
          return { pluginId: step.plugin, args, summary: plugin ? `${step.summary} (${describeCall(plugin, args)})` : step.summary };
        }),
        verification: verification.map(({ step, args }) => ({ pluginId: step.plugin, args, ...(step.expect && { expect: step.expect }) })),
      },
    };
  }

  /** Label, service and keyword matches first; then runbooks only similar in text, with the similarity as the reason. */
  private async candidates(alert: Alert, signal: AbortSignal): Promise<{ runbook: Runbook; reasons: string[] }[]> {
    const matched = matchRunbooks(alert, this.source.list());
    const similar = (await this.source.similar?.(alert, signal)) ?? [];
    const byPath = new Map(this.source.list().map((runbook) => [runbook.path, runbook]));
    const extra = similar.flatMap(({ path, similarity }) => {
      const runbook = byPath.get(path);
      if (!runbook || similarity < MIN_FOLLOW_SIMILARITY || matched.some((m) => m.runbook === runbook)) return [];
      return [{ runbook, reasons: [`text similarity ${similarity.toFixed(2)}`] }];
    });
    return [...matched, ...extra];
  }

  /** The best candidate whose diagnostics and checks are registered plugins and fill completely. */
  private choose(alert: Alert, tools: RuleTools, candidates: { runbook: Runbook; reasons: string[] }[]) {
    const values = runbookValues(alert, tools.targets);
    for (const { runbook, reasons } of candidates) {
      const diagnostics = plan(runbook.diagnostics, values);
      const verification = plan(runbook.verification, values);
      const steps = [...runbook.diagnostics, ...runbook.verification];
      if (!diagnostics || !verification || steps.length === 0) continue;
      if (steps.some((step) => tools.plugins.get(step.plugin)?.category !== 'diagnostic')) continue;
      return { runbook, reasons, diagnostics, verification };
    }
    return undefined;
  }
}

function plan<Step extends RunbookStep>(steps: Step[], values: Record<string, unknown>): Planned<Step>[] | undefined {
  const planned: Planned<Step>[] = [];
  for (const step of steps) {
    const { args, missing } = fillPlaceholders(step.args, values);
    if (missing.length > 0) return undefined;
    planned.push({ step, args });
  }
  return planned;
}

function checkProblem(step: VerificationStep, result: PluginRunResult): string | undefined {
  if (result.status !== 'success') return result.summary;
  for (const expectation of step.expect ?? []) {
    const unmet = unmetExpectation(result.data, expectation);
    if (unmet) return unmet;
  }
  return undefined;
}

function evidenceOf(pluginId: string, result: PluginRunResult, ref: string): Evidence {
  return { source: pluginId, summary: result.summary, status: result.status, citation: { ref, toolSummary: result.summary, observed: answered(result) } };
}

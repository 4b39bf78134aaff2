import { setTimeout as sleep } from 'node:timers/promises';
import type { FixStep, FixStepReport, StepOutcome, VerificationCheck, VerificationOutcome } from '../domain';
import { unmetExpectation } from '../domain';
import type { AnyPlugin, PluginContext, PluginResult } from '../plugins/plugin';
import { runPlugin, runRollback } from '../plugins/run-plugin';
import type { PluginRunResult } from '../plugins/run-plugin';
import { dryRunStep } from '../policy/dry-run';
import { idempotencyKey } from '../runtime/step-journal';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import type { ReadyContext } from './incident-context';
import { incidentStep } from './incident-step';

/**
 * One step of the approved fix (or rollback), the next the fix machine has not run, exactly once across crashes:
 * the intent is written before the plugin acts and the result after. An intent found without a result (the
 * process died mid-action) is confirmed with the plugin, not blindly repeated; if the outcome can't be
 * established, people decide. A rollback's step calls its plugin's `rollback` with the result of the run it undoes.
 */
export function runFixStep(deps: ImplementationDeps) {
  return incidentStep<FixStepReport, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    if (!ctx.proposal) throw new Error('No approved proposal to execute.');
    // The steps so far are in the incident's context: each is recorded there before the next one starts.
    const index = ctx.execution?.steps.length ?? 0;
    const step = ctx.proposal.steps[index];
    if (!step) throw new Error(`The fix has no step ${index + 1}.`);
    const of = ctx.proposal.steps.length;
    const key = idempotencyKey(stepKey(ctx, `execute-${index}`));
    // Dry run as decided, or switched on since: nothing runs, the outcome says what would have.
    if (ctx.decision?.dryRun || deps.policy.dryRunFor(ctx.proposal.steps.map((s) => s.pluginId))) {
      return { index, of, dryRun: true, outcome: dryRunStep(step, key) };
    }
    await deps.journal.barrier(ctx.incidentId, signal);
    const outcome = await executeStep(deps, ctx, step, key, signal);
    return { index, of, outcome };
  });
}

/** An execution row's result, as executeStep settled it. */
type Recorded = { summary?: string; data?: unknown; elapsedMs?: number; sensitive?: boolean };

async function executeStep(deps: ImplementationDeps, ctx: ReadyContext, step: FixStep, key: string, signal: AbortSignal): Promise<StepOutcome> {
  const plugin = deps.plugins.get(step.pluginId);
  const base = { pluginId: step.pluginId, idempotencyKey: key };
  if (!plugin || plugin.category !== 'remediation') {
    const note = { key: 'card.step.notRemediation', values: { plugin: step.pluginId } };
    return { ...base, status: 'error', summary: `${step.pluginId} is not a remediation plugin.`, note, elapsedMs: 0, recovered: false }; // for developers: `note` is what people read
  }
  const pluginCtx: PluginContext = { signal, logger: deps.logger.child({ incidentId: ctx.incidentId, plugin: plugin.id }), targets: deps.targets, scrubber: deps.scrubber, idempotencyKey: key };
  const undone = step.undoes ? await runToUndo(deps, step.undoes) : undefined;
  if (undone && 'missing' in undone) {
    const note = { key: 'card.step.undoUnrecorded', values: { plugin: step.pluginId } };
    return { ...base, status: 'error', summary: `${step.pluginId}: the run to undo is not on record.`, note, elapsedMs: 0, recovered: false }; // for developers: the audit's words
  }
  const recorded = await deps.executions.find(key);
  if (recorded && recorded.status !== 'intent') {
    const result = (recorded.result ?? {}) as Recorded;
    return { ...base, status: recorded.status, summary: result.summary ?? '', data: result.sensitive ? undefined : result.data, elapsedMs: result.elapsedMs ?? 0, recovered: true };
  }
  if (recorded && !undone) {
    const recovered = await recoverIntent(plugin, step, pluginCtx);
    if (recovered) {
      // What the plugin read before acting stands in for the lost result's data: an undo may need it.
      const observed = (recorded.result as { observed?: Record<string, unknown> } | null)?.observed;
      const settled = recovered.status === 'success' && observed ? { ...recovered, data: observed } : recovered;
      await deps.executions.settle(key, settled.status, { ...settled });
      return { ...base, ...settled, recovered: true };
    }
    deps.logger.warn({ incidentId: ctx.incidentId, key }, 'intent without result was not applied; running it again');
  } else if (recorded) {
    // A plugin's rollback is written to be safe to repeat (scale back finds the count already back): run it again.
    deps.logger.warn({ incidentId: ctx.incidentId, key }, 'rollback intent without result; running the rollback again');
  } else {
    const observed = undone ? undefined : await observe(plugin, step, pluginCtx);
    await deps.executions.recordIntent({ incidentId: ctx.incidentId, idempotencyKey: key, pluginId: plugin.id, args: step.args, ...(observed && { observed }) });
  }
  const run = undone ? runRollback(plugin, step.args, undone.result, pluginCtx) : runPlugin(plugin, step.args, pluginCtx);
  const result: PluginRunResult = await (run ?? Promise.resolve({ status: 'error', summary: `${plugin.id} cannot undo its runs.`, elapsedMs: 0 })); // for developers: the audit's words
  deps.onPluginResult?.(plugin, result);
  await deps.executions.settle(key, result.status, { ...result });
  // The outcome lands in the snapshot and the audit trail, which are not encrypted: sensitive data stays in executions.
  return { ...base, status: result.status, summary: result.summary, data: result.sensitive ? undefined : result.data, elapsedMs: result.elapsedMs, recovered: false };
}

/** The recorded result of the run a rollback step undoes (its plugin's rollback needs it: the count it found, say). */
async function runToUndo(deps: ImplementationDeps, key: string): Promise<{ result: PluginResult } | { missing: true }> {
  const recorded = await deps.executions.find(key);
  if (recorded?.status !== 'success') return { missing: true };
  const result = (recorded.result ?? {}) as Recorded;
  return { result: { status: 'success', summary: result.summary ?? '', data: result.data as PluginResult['data'] } };
}

/** The plugin's read before it acts (see PluginSpec.observe); a failed read is logged and the step runs without it. */
async function observe(plugin: AnyPlugin, step: FixStep, ctx: PluginContext): Promise<Record<string, unknown> | undefined> {
  const args = plugin.args.safeParse(step.args);
  if (!plugin.observe || !args.success) return undefined;
  try {
    return await plugin.observe(args.data, ctx);
  } catch (error) {
    ctx.logger.warn({ err: error }, 'observe failed; a result lost to a crash could not be undone');
    return undefined;
  }
}

/** Settles an orphaned intent, or returns null when running the step (again) is safe. */
async function recoverIntent(
  plugin: AnyPlugin,
  step: FixStep,
  ctx: PluginContext,
): Promise<Pick<StepOutcome, 'status' | 'summary' | 'note' | 'elapsedMs'> | null> {
  const started = Date.now();
  const args = plugin.args.safeParse(step.args);
  const confirmation = plugin.confirm && args.success ? await plugin.confirm(args.data, ctx) : 'unknown';
  const elapsedMs = Date.now() - started;
  if (confirmation === 'applied') {
    // for developers: the English summary is the audit's; people read `note` from the catalog.
    return { status: 'success', summary: 'Interrupted by a restart; the effect was confirmed, so it was not repeated.', note: { key: 'card.step.interruptedApplied' }, elapsedMs };
  }
  if (confirmation === 'not_applied' && plugin.idempotent) return null;
  const unsafe = confirmation === 'not_applied';
  return {
    status: 'unknown',
    summary: unsafe
      ? 'Interrupted by a restart; the effect is not visible and the step is not safe to repeat.' // for developers: the audit's words
      : 'Interrupted by a restart; whether it took effect could not be established.', // for developers: the audit's words
    note: { key: unsafe ? 'card.step.interruptedUnsafe' : 'card.step.interruptedUnknown' },
    elapsedMs,
  };
}

/** Read-only checks that must all pass; polled a few times because a fix may take a moment to show. */
export function verify(deps: ImplementationDeps) {
  return incidentStep<VerificationOutcome, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    if (!ctx.proposal) throw new Error('No proposal to verify.');
    const checks = ctx.proposal.verification;
    const pluginCtx: PluginContext = { signal, logger: deps.logger.child({ incidentId: ctx.incidentId }), targets: deps.targets, scrubber: deps.scrubber };
    let outcome: VerificationOutcome = { passed: false, checks: [] };
    for (let attempt = 1; attempt <= deps.verification.attempts; attempt++) {
      if (attempt > 1) await sleep(deps.verification.intervalMs, undefined, { signal });
      // Straight to the plugin, never through the diagnostic cache: the answer from before the fix is no use here.
      const results = await Promise.all(checks.map((check) => runCheck(deps, check, pluginCtx)));
      // The monitoring source is a witness too: every alert recovered there counts as the fix holding.
      const recovered = recoveredAtSource(incidentContext(system));
      outcome = { passed: results.every((r) => r.passed) || !!recovered, checks: recovered ? [...results, recovered] : results };
      if (outcome.passed) break;
    }
    return outcome;
  });
}

/** A passing check when every alert of the incident has recovered at source (read live: alerts recover while we verify). */
function recoveredAtSource(ctx: ReadyContext): VerificationOutcome['checks'][number] | undefined {
  const tally = ctx.alerts;
  if (!tally || tally.firing > 0 || tally.total === 0) return undefined;
  const note = { key: 'card.check.recoveredAtSource', values: { n: tally.total } };
  return { pluginId: 'alerts', passed: true, summary: `Every alert of the incident (${tally.total}) recovered at source.`, note }; // for developers: the audit's words
}

async function runCheck(deps: ImplementationDeps, check: VerificationCheck, ctx: PluginContext) {
  const plugin = deps.plugins.get(check.pluginId);
  if (plugin?.category !== 'diagnostic') {
    return { pluginId: check.pluginId, passed: false, summary: 'Not a known diagnostic plugin.', note: { key: 'card.check.unknownPlugin' } }; // for developers: the audit's words
  }
  const result = await runPlugin(plugin, check.args, ctx);
  deps.onPluginResult?.(plugin, result);
  const unmet = result.status === 'success' ? (check.expect ?? []).map((e) => unmetExpectation(result.data, e)).filter(Boolean) : [];
  return { pluginId: check.pluginId, passed: result.status === 'success' && unmet.length === 0, summary: [result.summary, ...unmet].join('; ') };
}

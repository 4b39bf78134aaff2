// @ts-check

/**
 * Which step of a fix is running: read from the incident's chart context, where `proposal.steps` is the plan
 * (`kind: 'rollback'` when its steps undo an earlier fix) and `execution.steps` the outcomes of the steps done
 * so far (machines/fix.machine.ts runs them one at a time). Pure: no DOM, no catalog (it names the message).
 *
 * @typedef {{ kind?: string, steps: { pluginId: string }[] }} FixPlan
 * @typedef {{ steps: unknown[] }} FixDone
 * @typedef {{ key: 'console.statechart.fixStep' | 'console.statechart.undoingStep', values: { n: number, of: number, plugin: string } }} FixProgress
 */

/** The state in which the fix machine runs. */
export const EXECUTING = 'remediating.executing';

/**
 * The step running now (steps done + 1) and its plugin, as a catalog message; null outside `remediating.executing`,
 * without a plan, or once every step of the plan is done.
 * @param {{ state: string, proposal?: FixPlan | null, execution?: FixDone | null }} incident its state path and chart context
 * @returns {FixProgress | null}
 */
export function fixProgress({ state, proposal, execution }) {
  if (state !== EXECUTING || !proposal) return null;
  const done = execution?.steps.length ?? 0;
  const step = proposal.steps[done];
  if (!step) return null;
  const key = proposal.kind === 'rollback' ? 'console.statechart.undoingStep' : 'console.statechart.fixStep';
  return { key, values: { n: done + 1, of: proposal.steps.length, plugin: step.pluginId } };
}

import { fromPromise, sendParent, setup } from 'xstate';
import type { FixStepReport } from '../src/domain';
import { outputOf } from './incident.rules';

/** The step actor is a stub here; `src/implementations` provides it through `machine.provide()`. */
const runFixStep = fromPromise<FixStepReport, void>(() => Promise.reject(new Error('actor "runFixStep" was not provided')));

/**
 * One fix (or rollback), invoked by the incident chart's `remediating.executing`: its plugin steps one at a time,
 * each an invoked actor, in order. Each step is reported to the incident (`fix.stepped`), which records it in
 * its context and is persisted with this machine's snapshot inside its own: a restart resumes at the next step.
 */
export const fixMachine = setup({
  actors: { runFixStep },
  guards: {
    /** The step failed (a dry run fails nothing), or it was the last one. */
    endsTheFix: ({ event }) => {
      const report = outputOf<FixStepReport>(event);
      return (report.outcome.status !== 'success' && !report.dryRun) || report.index + 1 >= report.of;
    },
  },
  actions: {
    reportStep: sendParent(({ event }) => ({ type: 'fix.stepped', ...outputOf<FixStepReport>(event) })),
  },
}).createMachine({
  id: 'fix',
  description: "A fix's plugin steps, one invoked actor each, in order; it stops at the first that fails.",
  initial: 'runningStep',
  states: {
    runningStep: {
      description: 'Run the next step: its intent is written before the plugin acts, its result after.',
      invoke: {
        id: 'fixStep',
        src: 'runFixStep',
        onDone: [
          { guard: 'endsTheFix', target: 'finished', actions: 'reportStep' },
          { target: 'runningStep', reenter: true, actions: 'reportStep', description: 'The next step.' },
        ],
      },
    },
    finished: { type: 'final', description: 'Every step ran, or one failed.' },
  },
});

export type FixMachine = typeof fixMachine;

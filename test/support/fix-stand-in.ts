import { sendParent, setup } from 'xstate';
import type { AnyActorLogic } from 'xstate';
import type { FixStepReport } from '../../src/domain';

/** What a test settles the stand-in's `fix` actor with to end the fix (rather than to report a step). */
export const FIX_FINISHED = { finished: true } as const;

type Settled = FixStepReport | typeof FIX_FINISHED;
const outputOf = (event: unknown) => (event as { output: Settled }).output;

/**
 * Stands in for the fix machine where a test drives every step: its one invoked actor (id `fix`, the test's
 * controllable logic) is settled with a step report, which it passes to the incident as `fix.stepped`, or with
 * FIX_FINISHED, which ends it (the incident's `xstate.done.actor.fix`), or with an error, which fails it.
 */
export function fixStandIn(step: AnyActorLogic) {
  return setup({
    actors: { step },
    guards: { finishes: ({ event }) => 'finished' in outputOf(event) },
    actions: { report: sendParent(({ event }) => ({ type: 'fix.stepped', ...(outputOf(event) as FixStepReport) })) },
  }).createMachine({
    id: 'fixStandIn',
    initial: 'waiting',
    states: {
      waiting: {
        invoke: { id: 'fix', src: 'step', onDone: [{ guard: 'finishes', target: 'finished' }, { target: 'waiting', reenter: true, actions: 'report' }] },
      },
      finished: { type: 'final' },
    },
  });
}

import { fromPromise } from 'xstate';
import type { WaitUntilInput } from '../domain';
import { incidentContext } from './incident-context';

/** setTimeout's ceiling (~24.8 days); longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A timer as an invoked actor, so it is persisted: it resolves at the absolute deadline stored in the
 * context when its state was entered, also when restored after a restart — late deadlines fire at once.
 * An `optional` timer with no deadline set waits for nothing: its state is left some other way.
 */
export const waitUntil = fromPromise<void, WaitUntilInput>(({ input, system, signal }) => {
  const deadline = Date.parse(incidentContext(system).deadlines[input.timer] ?? '');
  // An optional timer without a deadline (no reminder due) never fires: its state leaves by other ways.
  if (Number.isNaN(deadline) && input.optional) return new Promise<void>(() => undefined);
  if (Number.isNaN(deadline)) return Promise.reject(new Error(`No deadline set for timer ${input.timer}.`));
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return resolve();
      timer = setTimeout(arm, Math.min(remaining, MAX_TIMEOUT_MS));
    };
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    arm();
  });
});

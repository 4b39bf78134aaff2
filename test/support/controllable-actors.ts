import { fromPromise } from 'xstate';
import type { AnyActorRef } from 'xstate';
import { incidentMachine } from '../../machines/incident.machine';
import { fixStandIn } from './fix-stand-in';
import type { IncidentMachine } from '../../machines/incident.machine';

interface Pending {
  resolve(output: unknown): void;
  reject(error: unknown): void;
}

/**
 * Stand-ins for the chart's invoked actors that finish only when a test says so, with the output
 * the test gives: path tests feed `xstate.done.actor.*` / `xstate.error.actor.*` events this way
 * while the real runtime persists every transition.
 */
export class ControllableActors {
  private readonly pending = new Map<string, Pending>();
  private readonly stopped = new Set<string>();

  /**
   * @param immediate actors that finish at once instead: by default the wait for a diagnosis slot, which
   * only schedules (tests that drive every step, like the path tests, pass an empty set).
   */
  constructor(private readonly immediate: ReadonlySet<string> = new Set(['awaitDiagnosisSlot'])) {}

  machine(): IncidentMachine {
    const logic = fromPromise<unknown, unknown>(({ self, system, signal }) => {
      const root = system.get('incident') as AnyActorRef | undefined;
      const snapshot = root?.getSnapshot() as { context: { incidentId: string } };
      const key = `${snapshot.context.incidentId}/${self.id}`;
      // Stopped before it finished (its state was left): no longer running, and remembered as stopped.
      signal.addEventListener('abort', () => {
        this.pending.delete(key);
        this.stopped.add(key);
      }, { once: true });
      return new Promise((resolve, reject) => this.pending.set(key, { resolve, reject }));
    });
    const done = fromPromise<undefined, unknown>(() => Promise.resolve(undefined));
    const names = Object.keys(incidentMachine.implementations.actors);
    const actors = Object.fromEntries(names.map((name) => [name, this.immediate.has(name) ? done : name === 'fix' ? fixStandIn(logic) : logic]));
    return incidentMachine.provide({ actors });
  }

  /** The actor was stopped while running (its incident left the state that invoked it). */
  wasStopped(incidentId: string, invokeId: string): boolean {
    return this.stopped.has(`${incidentId}/${invokeId}`);
  }

  isPending(incidentId: string, invokeId: string): boolean {
    return this.pending.has(`${incidentId}/${invokeId}`);
  }

  settle(incidentId: string, invokeId: string, outcome: { output: unknown } | { error: unknown }): void {
    const key = `${incidentId}/${invokeId}`;
    const pending = this.pending.get(key);
    if (!pending) throw new Error(`No running actor ${invokeId} for ${incidentId}.`);
    this.pending.delete(key);
    if ('error' in outcome) pending.reject(outcome.error);
    else pending.resolve(outcome.output);
  }
}

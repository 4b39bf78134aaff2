import { fromPromise } from 'xstate';
import type { AnyActorRef } from 'xstate';
import { incidentMachine } from '../../machines/incident.machine';
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

  machine(): IncidentMachine {
    const logic = fromPromise<unknown, unknown>(({ self, system }) => {
      const root = system.get('incident') as AnyActorRef | undefined;
      const snapshot = root?.getSnapshot() as { context: { incidentId: string } };
      const key = `${snapshot.context.incidentId}/${self.id}`;
      return new Promise((resolve, reject) => this.pending.set(key, { resolve, reject }));
    });
    const names = Object.keys(incidentMachine.implementations.actors);
    const actors = Object.fromEntries(names.map((name) => [name, logic]));
    return incidentMachine.provide({ actors });
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

import { fromPromise } from 'xstate';
import { withIncidentLog } from '../observability/log-context';
import { incidentContext } from './incident-context';

type StepArgs<TInput> = Parameters<Parameters<typeof fromPromise<unknown, TInput>>[0]>[0];

/** `fromPromise` whose work logs under the incident's id (see withIncidentLog). Async, so a missing context rejects rather than throws. */
export function incidentStep<TOutput, TInput = void>(run: (args: StepArgs<TInput>) => PromiseLike<TOutput>) {
  return fromPromise<TOutput, TInput>(async (args) => withIncidentLog(incidentContext(args.system).incidentId, () => run(args)));
}

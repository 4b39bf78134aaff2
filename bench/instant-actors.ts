import { fromPromise } from 'xstate';
import { fixMachine } from '../machines/fix.machine';
import { incidentMachine } from '../machines/incident.machine';
import type { IncidentMachine } from '../machines/incident.machine';
import type { AnnouncementInput, FixStepReport, SentMessage, TriageResult } from '../src/domain';
import { incidentContext, stepKey } from '../src/implementations/incident-context';
import type { ReadyContext } from '../src/implementations/incident-context';
import { waitUntil } from '../src/implementations/wait-until';
import type { IncidentService } from '../src/runtime/incident-service';
import type { StepJournal } from '../src/runtime/step-journal';
import type { IncidentStore } from '../src/store/incident-store';
import { DECISION, DIAGNOSIS, EXECUTION, PROPOSAL, VERIFICATION } from './canned-outputs';
import type { StepMarks } from './step-marks';

export interface InstantActorDeps {
  journal: StepJournal;
  store: IncidentStore;
  incidents: IncidentService;
  marks: StepMarks;
}

/**
 * The chart with instant stand-ins for the LLM, plugins and chat, so only the orchestrator is measured:
 * the runtime, its persistence and locks, and the step journal wherever the real implementation journals
 * (diagnose, propose, cards, announce) or waits for durability (execute). Triage and merging are the
 * real queries and calls, because intake de-duplication depends on them. Timers are the real waitUntil.
 */
export function instantIncidentMachine(deps: InstantActorDeps): IncidentMachine {
  const { journal, store, incidents, marks } = deps;

  /** Notes when the step finished: the persisted `xstate.done.actor.*` transition is measured from here. */
  const finished = <T>(ctx: ReadyContext, self: { id: string }, output: T): T => {
    marks.mark(ctx.incidentId, `xstate.done.actor.${self.id}`);
    return output;
  };
  const instant = <T>(output: T) =>
    fromPromise<T, void>(({ system, self }) => Promise.resolve(finished(incidentContext(system), self, output)));
  const journaled = <T>(step: string, output: (key: string) => T) =>
    fromPromise<T, void>(async ({ system, self, signal }) => {
      const ctx = incidentContext(system);
      const result = await journal.step(stepKey(ctx, step), signal, (key) => Promise.resolve(output(key)));
      return finished(ctx, self, result);
    });
  const card = (key: string): SentMessage => ({ messageId: `om_${key}` });

  return incidentMachine.provide({
    actors: {
      triage: fromPromise<TriageResult, void>(async ({ system, self }) => {
        const ctx = incidentContext(system);
        const original = await store.findOpenDuplicate(ctx.incidentId, ctx.alert.fingerprint);
        const verdict: TriageResult = original
          ? { verdict: 'duplicate', duplicateOf: original, reason: `Same fingerprint as open incident ${original}.` }
          : { verdict: 'new', reason: 'No open incident has this fingerprint.' };
        return finished(ctx, self, verdict);
      }),
      mergeIntoOriginal: fromPromise<void, void>(async ({ system, self, signal }) => {
        const ctx = incidentContext(system);
        const triaged = ctx.triage;
        if (triaged?.verdict !== 'duplicate') throw new Error('Nothing to merge into.');
        await journal.step(stepKey(ctx, 'merge'), signal, async () => {
          await incidents.send(triaged.duplicateOf, { type: 'alert.repeated', fromIncident: ctx.incidentId, status: ctx.alert.status });
        });
        finished(ctx, self, undefined);
      }),
      diagnose: journaled('diagnose', () => DIAGNOSIS),
      sendDiagnosisCard: journaled('diagnosis-card', card),
      propose: journaled('propose', () => PROPOSAL),
      evaluatePolicy: instant(DECISION),
      sendProposalCard: journaled('proposal-card', card),
      // The real fix machine (one persisted transition per step), its steps instant; the last one's transition is the fix's.
      fix: fixMachine.provide({
        actors: {
          runFixStep: fromPromise<FixStepReport, void>(async ({ system, signal }) => {
            const ctx = incidentContext(system);
            await journal.barrier(ctx.incidentId, signal);
            const index = ctx.execution?.steps.length ?? 0;
            const of = EXECUTION.steps.length;
            const report = { index, of, outcome: EXECUTION.steps[index]! };
            return index + 1 < of ? report : finished(ctx, { id: 'fix' }, report);
          }),
        },
      }),
      verify: instant(VERIFICATION),
      announce: fromPromise<SentMessage, AnnouncementInput>(async ({ system, self, signal, input }) => {
        const ctx = incidentContext(system);
        const sent = await journal.step(stepKey(ctx, `announce-${input.outcome}`), signal, (key) => Promise.resolve(card(key)));
        return finished(ctx, self, sent);
      }),
      waitUntil,
    },
  });
}

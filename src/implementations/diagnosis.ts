import { fromPromise } from 'xstate';
import { diagnosisCard } from '../chat/cards';
import { DiagnosisSchema, ProposalOutcomeSchema } from '../domain';
import type { Diagnosis, ProposalOutcome, SentMessage } from '../domain';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';

export function diagnose({ journal, diagnostician, records }: ImplementationDeps) {
  return fromPromise<Diagnosis, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.run(stepKey(ctx, 'diagnose'), signal, async () => {
      const diagnosis = DiagnosisSchema.parse(await diagnostician.diagnose(ctx.alert, { incidentId: ctx.incidentId, signal }));
      await records.saveDiagnosis(ctx.incidentId, ctx.attempt, diagnosis);
      return diagnosis;
    });
  });
}

export function sendDiagnosisCard({ journal, chat }: ImplementationDeps) {
  return fromPromise<SentMessage, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.run(stepKey(ctx, 'diagnosis-card'), signal, (key) => chat.postCard(ctx.chatId, diagnosisCard(ctx), key, { replyTo: ctx.alertMessageId }));
  });
}

export function propose({ journal, diagnostician, records }: ImplementationDeps) {
  return fromPromise<ProposalOutcome, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    const diagnosis = ctx.diagnosis;
    if (!diagnosis) throw new Error('No diagnosis to propose a fix for.');
    return journal.run(stepKey(ctx, 'propose'), signal, async () => {
      const outcome = ProposalOutcomeSchema.parse(
        await diagnostician.propose(ctx.alert, diagnosis, { incidentId: ctx.incidentId, signal }),
      );
      await records.saveProposal(ctx.incidentId, ctx.attempt, outcome);
      return outcome;
    });
  });
}

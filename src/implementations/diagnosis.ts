import { diagnosisCard } from '../chat/cards';
import { DiagnosisSchema, ProposalOutcomeSchema } from '../domain';
import type { Diagnosis, FixStep, ProposalOutcome, SentMessage } from '../domain';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import { incidentStep } from './incident-step';

export function diagnose({ journal, diagnostician, records }: ImplementationDeps) {
  return incidentStep<Diagnosis, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.run(stepKey(ctx, 'diagnose'), signal, async () => {
      const diagnosis = DiagnosisSchema.parse(await diagnostician.diagnose(ctx.alert, { incidentId: ctx.incidentId, attempt: ctx.attempt, signal }));
      await records.saveDiagnosis(ctx.incidentId, ctx.attempt, diagnosis);
      return diagnosis;
    });
  });
}

export function sendDiagnosisCard({ journal, chat }: ImplementationDeps) {
  return incidentStep<SentMessage, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.run(stepKey(ctx, 'diagnosis-card'), signal, (key) => chat.postCard(ctx.chatId, diagnosisCard(ctx), key, { replyTo: ctx.alertMessageId }));
  });
}

export function propose(deps: ImplementationDeps) {
  const { journal, diagnostician, records } = deps;
  return incidentStep<ProposalOutcome, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    const diagnosis = ctx.diagnosis;
    if (!diagnosis) throw new Error('No diagnosis to propose a fix for.');
    return journal.run(stepKey(ctx, 'propose'), signal, async () => {
      const proposed = ProposalOutcomeSchema.parse(
        await diagnostician.propose(ctx.alert, diagnosis, { incidentId: ctx.incidentId, attempt: ctx.attempt, signal }),
      );
      const outcome = proposed.fixable ? { ...proposed, proposal: { ...proposed.proposal, steps: await withPlans(deps, proposed.proposal.steps, signal) } } : proposed;
      await records.saveProposal(ctx.incidentId, ctx.attempt, outcome);
      return outcome;
    });
  });
}

/** Each step's dry run, from the plugin (code), not from the proposer, so the card shows what would really happen. */
async function withPlans({ plugins, targets, logger, scrubber }: ImplementationDeps, steps: FixStep[], signal: AbortSignal): Promise<FixStep[]> {
  const scrub = (text: string) => scrubber?.scrubText(text) ?? text;
  return Promise.all(
    steps.map(async (step) => {
      const plugin = plugins.get(step.pluginId);
      const args = plugin?.args.safeParse(step.args);
      if (!plugin?.dryRun || !args?.success) return step;
      try {
        return { ...step, plan: scrub(await plugin.dryRun(args.data, { signal, logger, targets, scrubber })) };
      } catch (error) {
        return { ...step, plan: scrub(`Dry run failed: ${error instanceof Error ? error.message : String(error)}`) };
      }
    }),
  );
}

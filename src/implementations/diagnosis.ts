import { diagnosisCard, withMentions } from '../chat/core/cards';
import { deciderMentions, diagnosisDeciders } from '../policy/oncall-mentions';
import { DiagnosisSchema, ProposalOutcomeSchema } from '../domain';
import { summariseGroup } from '../alerts/alert-group-summary';
import type { Alert, Diagnosis, FixProposal, FixStep, ProposalOutcome, SentMessage } from '../domain';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import type { ReadyContext } from './incident-context';
import { incidentStep } from './incident-step';
import { threadOf } from './thread';
import { ENGLISH_UTC } from '../i18n';
import { undoOfCall } from '../plugins/plugin';

/** Waits, in its own visible state, until this instance runs fewer than MAX_CONCURRENT_DIAGNOSES. */
export function awaitDiagnosisSlot({ diagnosisSlots }: ImplementationDeps) {
  return incidentStep<void, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    await diagnosisSlots?.acquire(ctx.incidentId, ctx.alert.severity, signal);
  });
}

export function diagnose(deps: ImplementationDeps) {
  const { journal, diagnostician, records } = deps;
  return incidentStep<Diagnosis, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.step(stepKey(ctx, 'diagnose'), signal, async () => {
      const alert = await alertWithItsGroup(deps, ctx);
      const diagnosis = DiagnosisSchema.parse(await diagnostician.diagnose(alert, { incidentId: ctx.incidentId, attempt: ctx.attempt, signal }));
      await records.saveDiagnosis(ctx.incidentId, ctx.attempt, diagnosis);
      return diagnosis;
    });
  });
}

export function sendDiagnosisCard(deps: ImplementationDeps) {
  const { journal, chat, policy } = deps;
  return incidentStep<SentMessage, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.step(stepKey(ctx, 'diagnosis-card'), signal, async (key) => {
      const rules = policy.rules;
      const mentions = deciderMentions(rules, diagnosisDeciders(rules), new Date());
      const card = (deps.i18n ?? ENGLISH_UTC).both((tr) => withMentions(diagnosisCard(ctx, tr), mentions));
      return chat.postCard(ctx.chatId, card, key, { replyTo: await threadOf(deps, ctx) });
    });
  });
}

export function propose(deps: ImplementationDeps) {
  const { journal, diagnostician, records } = deps;
  return incidentStep<ProposalOutcome, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    const diagnosis = ctx.diagnosis;
    if (!diagnosis) throw new Error('No diagnosis to propose a fix for.');
    return journal.step(stepKey(ctx, 'propose'), signal, async () => {
      const alert = await alertWithItsGroup(deps, ctx);
      const proposed = ProposalOutcomeSchema.parse(
        await diagnostician.propose(alert, diagnosis, { incidentId: ctx.incidentId, attempt: ctx.attempt, signal }),
      );
      const outcome = proposed.fixable ? { ...proposed, proposal: await asFix(deps, proposed.proposal, signal) } : proposed;
      await records.saveProposal(ctx.incidentId, ctx.attempt, outcome);
      return outcome;
    });
  });
}

/**
 * The incident's first alert, its description followed by a summary of every alert the incident holds
 * (common labels, the values that vary, counts, times): the model sees the whole problem within its budget.
 */
async function alertWithItsGroup({ alertStore }: ImplementationDeps, ctx: ReadyContext): Promise<Alert> {
  if (!alertStore || (ctx.alerts?.total ?? 1) <= 1) return ctx.alert;
  const summary = summariseGroup(await alertStore.list(ctx.incidentId));
  if (!summary) return ctx.alert;
  const description = [ctx.alert.description, summary].filter(Boolean).join('\n\n');
  return { ...ctx.alert, description: description.slice(0, 10_000) };
}

/** The proposer's fix as code takes it: never a rollback (code makes those from what ran: startRollback), each step planned by its plugin. */
async function asFix(deps: ImplementationDeps, { kind: _notTheProposers, ...fix }: FixProposal, signal: AbortSignal): Promise<FixProposal> {
  return { ...fix, steps: await withPlans(deps, fix.steps, signal) };
}

/** Each step's dry run and whether it can be undone, from the plugin (code), not from the proposer, so the card shows what would really happen. */
async function withPlans({ plugins, targets, logger, scrubber, i18n }: ImplementationDeps, steps: FixStep[], signal: AbortSignal): Promise<FixStep[]> {
  const scrub = (text: string) => scrubber?.scrubText(text) ?? text;
  return Promise.all(
    // Neither whether a step can be undone nor which run it undoes is the proposer's to say.
    steps.map(async ({ undo: _claimed, undoes: _notAnUndo, ...proposed }) => {
      const plugin = plugins.get(proposed.pluginId);
      const args = plugin?.args.safeParse(proposed.args);
      // Whether it can be undone is the plugin's word, never the proposer's.
      const undo = plugin && undoOfCall(plugin, proposed.args, { signal, logger, targets });
      const step: FixStep = undo ? { ...proposed, undo } : proposed;
      if (!plugin?.dryRun || !args?.success) return step;
      try {
        return { ...step, plan: scrub(await plugin.dryRun(args.data, { signal, logger, targets, scrubber })) };
      } catch (error) {
        // Kept with the proposal as one text: written in LANGUAGE, the error as the plugin gave it.
        const failed = (i18n ?? ENGLISH_UTC).translator().t('card.proposal.dryRunFailed', { error: error instanceof Error ? error.message : String(error) });
        return { ...step, plan: scrub(failed) };
      }
    }),
  );
}

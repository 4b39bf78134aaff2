import { summaryCard, summaryMarkdown } from '../chat/core/cards/summary-card';
import type { IncidentSummary, SummaryFacts, SummaryOutcome, SummaryProse } from '../domain/incident-summary';
import { ENGLISH_UTC } from '../i18n';
import type { ImplementationDeps } from './deps';
import { stepKey } from './incident-context';
import type { ReadyContext } from './incident-context';
import { summaryFacts } from './summary-facts';
import { threadOf } from './thread';

type Kept = IncidentSummary & { prose?: SummaryProse };

/** The model's prose when one is configured and its answer holds up; else undefined (the template). */
async function proseFor({ summaries, logger }: ImplementationDeps, facts: SummaryFacts, signal: AbortSignal): Promise<SummaryProse | undefined> {
  const writer = summaries?.writer;
  if (!writer) return undefined;
  try {
    return await writer.write(facts, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    logger.warn({ err: error, incidentId: facts.incidentId }, 'the model could not write the summary; using the template');
    return undefined;
  }
}

/** Reads the audit rows, writes the summary (model or template) and keeps it. */
async function composeSummary(deps: ImplementationDeps, ctx: ReadyContext, outcome: SummaryOutcome, signal: AbortSignal): Promise<Kept> {
  const { incidentStore, i18n = ENGLISH_UTC } = deps;
  const rows = await incidentStore.timeline(ctx.incidentId);
  const facts = summaryFacts(ctx, rows, outcome);
  const prose = await proseFor(deps, facts, signal);
  const text = i18n.both((tr) => summaryMarkdown(facts, prose, tr));
  const summary: Kept = { facts, source: prose ? 'model' : 'template', text, ...(prose && { prose }) };
  await deps.summaries?.store.save(`${ctx.attempt}:${outcome}`, summary);
  return summary;
}

/**
 * The post-incident summary, posted in the incident's thread once it has ended (after its announcement)
 * and kept. Two journaled parts: the summary (written once, kept, then replayed on a re-run) and its
 * card (posted with the journal's key, so a re-run after a crash does not post it again). Best effort:
 * a failure is logged and never holds up the incident's ending.
 */
export async function postSummary(deps: ImplementationDeps, ctx: ReadyContext, outcome: SummaryOutcome, signal: AbortSignal): Promise<void> {
  const { summaries, journal, chat, logger, i18n = ENGLISH_UTC } = deps;
  if (!summaries) return;
  try {
    const summary = await journal.run(stepKey(ctx, `summary-${outcome}`), signal, () => composeSummary(deps, ctx, outcome, signal));
    await journal.run(stepKey(ctx, `summary-${outcome}-card`), signal, async (key) =>
      chat.postCard(ctx.chatId, i18n.both((tr) => summaryCard(summary, tr)), key, { replyTo: await threadOf(deps, ctx) }),
    );
  } catch (error) {
    if (signal.aborted) throw error;
    logger.warn({ err: error, incidentId: ctx.incidentId, outcome }, 'could not post the incident summary');
  }
}

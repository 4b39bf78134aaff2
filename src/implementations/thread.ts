import type { ImplementationDeps } from './deps';
import type { ReadyContext } from './incident-context';

/**
 * Where an incident's next post goes, so a busy chat is not buried in top-level messages: under the
 * alert message that opened it; else under its own first card (its later posts thread there); else
 * under the storm card of a storm it belongs to; else (undefined) at the chat's top level.
 */
export async function threadOf({ stormThreads }: Pick<ImplementationDeps, 'stormThreads'>, ctx: ReadyContext): Promise<string | undefined> {
  return ctx.alertMessageId ?? ctx.cards.diagnosis ?? (await stormThreads?.threadFor(ctx));
}

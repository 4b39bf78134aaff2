import type { ImplementationDeps } from './deps';
import { stepKey } from './incident-context';
import type { ReadyContext } from './incident-context';
import { escalationDeciders, onCallPeople, urgentChannels } from '../policy/oncall-mentions';

/** What an urgent step recorded: who was notified, or why nobody was (it never fails the escalation). */
export type UrgentOutcome = { sent: string[] } | { failed: string };

/**
 * Lark's urgent notification of the escalation card to the on-call (or of a reminder to the people its chain
 * level reaches: `to`), on each channel the policy names for the incident's severity. Each channel is a
 * journaled step, so a re-run after a crash does not send again.
 */
export async function sendUrgent(
  deps: Pick<ImplementationDeps, 'chat' | 'journal' | 'logger' | 'policy'>,
  ctx: ReadyContext,
  messageId: string,
  signal: AbortSignal,
  to?: { people: readonly string[]; step: string },
): Promise<void> {
  const { chat, journal, logger } = deps;
  const urgent = chat.urgent?.bind(chat);
  if (!urgent) return;
  const rules = deps.policy.rules;
  const channels = urgentChannels(rules, ctx.diagnosis?.severity ?? ctx.alert.severity);
  const people = [...(to?.people ?? onCallPeople(rules, escalationDeciders(rules), new Date()))];
  if (channels.length === 0 || people.length === 0) return;
  for (const channel of channels) {
    await journal.run<UrgentOutcome>(stepKey(ctx, `${to?.step ?? 'urgent'}-${channel}`), signal, async () => {
      try {
        await urgent(messageId, people, channel);
        return { sent: people };
      } catch (error) {
        // The card is posted and mentions them; a refused urgent (permissions, quota) must not undo the escalation.
        logger.warn({ err: error, incidentId: ctx.incidentId, channel }, 'could not send the urgent notification');
        return { failed: error instanceof Error ? error.message : String(error) };
      }
    });
  }
}

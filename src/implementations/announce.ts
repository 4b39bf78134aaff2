import { outcomeCard } from '../chat/cards';
import type { AnnouncementInput, SentMessage } from '../domain';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import { incidentStep } from './incident-step';

export function announce({ journal, chat }: ImplementationDeps) {
  return incidentStep<SentMessage, AnnouncementInput>(async ({ system, signal, input }) => {
    const ctx = incidentContext(system);
    return journal.run(stepKey(ctx, `announce-${input.outcome}`), signal, (key) =>
      chat.postCard(ctx.chatId, outcomeCard(ctx, input.outcome), key, { replyTo: ctx.alertMessageId }),
    );
  });
}

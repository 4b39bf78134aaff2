import type { Logger } from 'pino';
import type { IncidentContext } from '../../domain';
import type { I18n, Localized } from '../../i18n';
import type { IncidentChange, IncidentListener } from '../../runtime/incident-service';
import type { Card } from './card';
import { diagnosisCard, proposalCard } from './cards';
import type { ChatPort } from './chat-port';

/** A burst of joins (a 20-alert group arriving alert by alert) becomes one card update per interval. */
const UPDATE_INTERVAL_MS = 2_000;

const ALERT_CHANGES = new Set(['alert.joined', 'alert.recovered']);

/** The card that still asks a question and so shows the live alert count: the fix's, else the diagnosis's. */
function liveCard(ctx: IncidentContext, i18n: I18n): { messageId: string; card: Localized<Card> } | undefined {
  // Recovered, resolved or escalated: the announcement settles the card; a late count must not bring its buttons back.
  if (ctx.resolution || ctx.escalation) return undefined;
  if (ctx.cards.proposal && ctx.proposal && ctx.decision && !ctx.approvals.proposal) {
    return { messageId: ctx.cards.proposal, card: i18n.both((tr) => proposalCard(ctx, tr)) };
  }
  if (ctx.cards.diagnosis && ctx.diagnosis && !ctx.approvals.diagnosis) {
    return { messageId: ctx.cards.diagnosis, card: i18n.both((tr) => diagnosisCard(ctx, tr)) };
  }
  return undefined;
}

/**
 * Late joiners and partial recoveries update the open card in place (count, affected instances), at most
 * once per interval per incident with the latest state. Best effort: a failed update is logged.
 */
export function updateCardsOnAlertChanges(subscribe: (listener: IncidentListener) => () => void, chat: ChatPort, logger: Logger, i18n: I18n) {
  /** Incidents updated within the last interval: a change meanwhile waits for its end (`dirty`). */
  const recent = new Map<string, { change: IncidentChange; dirty: boolean; timer: NodeJS.Timeout }>();
  const send = (change: IncidentChange) => {
    const live = liveCard(change.context, i18n);
    if (!live) return;
    chat.updateCard(live.messageId, live.card).catch((error: unknown) => {
      logger.warn({ err: error, incidentId: change.incidentId }, 'could not update the card with its alerts');
    });
  };
  const quietAfter = (incidentId: string): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      const entry = recent.get(incidentId);
      if (!entry?.dirty) {
        recent.delete(incidentId);
        return;
      }
      entry.dirty = false;
      send(entry.change);
      entry.timer = quietAfter(incidentId);
    }, UPDATE_INTERVAL_MS);
    timer.unref();
    return timer;
  };
  const unsubscribe = subscribe((change) => {
    if (!ALERT_CHANGES.has(change.eventType) || change.status === 'done') return;
    const entry = recent.get(change.incidentId);
    if (entry) {
      entry.change = change;
      entry.dirty = true;
      return;
    }
    send(change);
    recent.set(change.incidentId, { change, dirty: false, timer: quietAfter(change.incidentId) });
  });
  return () => {
    unsubscribe();
    for (const entry of recent.values()) clearTimeout(entry.timer);
    recent.clear();
  };
}

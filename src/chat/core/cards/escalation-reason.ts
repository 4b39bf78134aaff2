import { CATALOG_PARTS, type MessageKey, type Translator } from '../../../i18n';
import { escapeMarkdown } from './untrusted-text';

/** The catalog's escalation reasons: `card.escalation.*`. */
const isReasonKey = (key: string) => key.split('.')[1] === 'escalation';

/**
 * The chart records why it escalated in English words (`recordEscalation` params in machines/incident.machine.ts,
 * kept so in snapshots). Each has a `card.escalation.*` message whose English is those very words, so a reader
 * gets it in their language. A reason without one (added to the chart later) is shown as it is; a test checks
 * that every reason of the chart has one.
 */
export const ESCALATION_REASON_KEYS: ReadonlyMap<string, MessageKey> = new Map(
  Object.entries(CATALOG_PARTS.cards)
    .filter(([key]) => isReasonKey(key))
    .map(([key, text]) => [text.en, key as MessageKey]),
);

/** Why the incident was escalated, in the reader's language; markdown-safe. */
export function escalationReasonText(tr: Translator, reason: string | undefined): string {
  if (reason === undefined) return tr.t('card.escalation.default');
  const key = ESCALATION_REASON_KEYS.get(reason);
  return key ? tr.t(key) : escapeMarkdown(reason);
}

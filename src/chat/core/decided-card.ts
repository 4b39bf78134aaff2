import type { Translator } from '../../i18n';
import type { Card } from './card';
import { escapeMarkdown } from './cards';

export interface CardDecision {
  /** What was done, in the card's language, e.g. `Diagnosis approved` (a decision label or a catalog message). */
  verb: string;
  /** Who did it: a name or an id; shown escaped. */
  by: string;
  at: Date;
}

/** The decision line a decided card ends with: who decided and when, to the minute, in TIMEZONE. */
export function decisionLine(decision: CardDecision, tr: Translator): string {
  return tr.t('card.decided', { verb: escapeMarkdown(decision.verb, 100), by: escapeMarkdown(decision.by, 200), at: decision.at });
}

/**
 * The card as it stands once someone decided: same content, no buttons (so nobody clicks a
 * question that is answered), and a line saying who decided and when.
 */
export function decidedCard(card: Card, decision: CardDecision, tr: Translator): Card {
  return { ...card, sections: [...card.sections, decisionLine(decision, tr)], buttons: [] };
}

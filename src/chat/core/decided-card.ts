import type { Card } from './card';
import { escapeMarkdown } from './cards';

export interface CardDecision {
  /** What was done, e.g. `Approved`, `Rejected`, `Diagnosis approved`. */
  verb: string;
  /** Who did it: a name or an id; shown escaped. */
  by: string;
  at: Date;
}

/** `2025-03-14 02:17 UTC`: a reader needs the minute, not the milliseconds. */
function whenText(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The decision line a decided card ends with. */
export function decisionLine(decision: CardDecision): string {
  return `**${escapeMarkdown(decision.verb, 100)}** by ${escapeMarkdown(decision.by, 200)} at ${whenText(decision.at)}`;
}

/**
 * The card as it stands once someone decided: same content, no buttons (so nobody clicks a
 * question that is answered), and a line saying who decided and when.
 */
export function decidedCard(card: Card, decision: CardDecision): Card {
  return { ...card, sections: [...card.sections, decisionLine(decision)], buttons: [] };
}

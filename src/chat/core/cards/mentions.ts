import type { Card } from '../card';

/** The card @-mentioning these people (open ids), once each; unchanged when there are none. */
export function withMentions(card: Card, ids: readonly string[]): Card {
  if (ids.length === 0) return card;
  return { ...card, mentions: [...new Set(ids)].map((id) => ({ kind: 'person', id })) };
}

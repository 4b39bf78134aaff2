/**
 * A chat-neutral card: each chat adapter renders it its own way (Lark card JSON 2.0, console text,
 * web console). Buttons carry the command they stand for, so a click and a typed command are one path.
 */
export type CardTone = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'grey';

export interface CardField {
  label: string;
  value: string;
}

export interface CardButton {
  label: string;
  style: 'primary' | 'danger' | 'default';
  /** What a click means, e.g. `{ incidentId, action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 }`. */
  value: { incidentId: string; action: string; kind: 'diagnosis' | 'proposal' | 'outcome'; attempt: number };
  /** The equivalent typed command, e.g. `/approve INC-7K2M9Q4T diagnosis`. */
  command: string;
}

/** Someone a card @-mentions: Lark notifies them and shows their name; other chats show `@id`. */
export interface CardMention {
  kind: 'person';
  /** A Lark open id: letters, digits, `_` and `-` only (the policy file checks), so it is safe in markup. */
  id: string;
}

export interface Card {
  title: string;
  tone: CardTone;
  /** Markdown paragraphs. Untrusted text (alert content, tool output) is quoted, never interpreted. */
  sections: string[];
  fields: CardField[];
  buttons: CardButton[];
  footer?: string;
  /** People to notify (the on-call, who may decide); shown above the fields. */
  mentions?: CardMention[];
}

/**
 * Names for the ids people and groups have in a chat (Lark open ids `ou_…`, chat ids `oc_…`), for the
 * places that show them without the chat's help (the web console). Lark renders its own mentions by name.
 */
export interface PeopleDirectory {
  /**
   * The names this directory knows for these ids; an id it cannot name is left out (show the id). Never
   * throws: a chat that may not be asked, or does not answer, names nobody.
   */
  namesOf(ids: readonly string[]): Promise<Map<string, string>>;
}

/** Without Lark (the embedded default, the terminal): nobody has a name but their id. */
export const NO_NAMES: PeopleDirectory = { namesOf: () => Promise.resolve(new Map()) };

/** A Lark user's open id, as mentions and decisions carry it. */
export const PERSON_ID = /^ou_[A-Za-z0-9_-]{1,100}$/;
/** A Lark group's chat id, as the on-call roster may name it. */
export const GROUP_ID = /^oc_[A-Za-z0-9_-]{1,100}$/;
/** Either, inside a text (bounded, linear): the ids a bot's answer such as /oncall names. */
const ID_IN_TEXT = /\bo[uc]_[A-Za-z0-9_-]{1,100}/g;

/** Whether a directory could name this id at all (anything else, `system` or a model, is shown as it is). */
export const nameableId = (id: string): boolean => PERSON_ID.test(id) || GROUP_ID.test(id);

/** The person and group ids a text names, once each, in order. */
export function idsInText(text: string): string[] {
  return [...new Set(text.match(ID_IN_TEXT) ?? [])];
}

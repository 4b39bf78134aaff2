// @ts-check
import { api } from './api.js';
import { h } from './dom.js';

/**
 * People by name. The API adds `people: { [id]: name }` (from Lark's contact API, when the app may read
 * it) to what it returns; an id it cannot name is shown as the id. A person is drawn as a span holding the
 * name, with the id in its title; a name learnt later (an id first seen on the live stream) fills in the
 * spans already drawn. Names are people's own text: always text nodes, never markup.
 */

/** A Lark user's open id or a group's chat id: only those can have a name. */
const NAMEABLE = /^o[uc]_[A-Za-z0-9_-]{1,100}$/;
/** The same ids inside a text (a bot's /oncall answer), bounded and linear. */
const IN_TEXT = /\bo[uc]_[A-Za-z0-9_-]{1,100}/g;
const IN_TEXT_ONCE = /\bo[uc]_[A-Za-z0-9_-]/;
/** Lark card markdown's mention, the only markup the bot puts in its cards. */
const MENTION = /<at id=([A-Za-z0-9_-]{1,100})><\/at>/g;

/** @type {Map<string, string>} */
const names = new Map();
/** Ids already asked for (named or not): each is asked once per page load. @type {Set<string>} */
const asked = new Set();
/** Ids to ask for on the next turn, in one request. @type {Set<string>} */
const pending = new Set();

/** Takes the names an answer brought and fills them in where those people are shown. @param {Record<string, string> | undefined} people */
export function learnPeople(people) {
  for (const [id, name] of Object.entries(people ?? {})) {
    if (typeof name !== 'string' || !name) continue;
    asked.add(id);
    if (names.get(id) === name) continue;
    names.set(id, name);
    for (const node of document.querySelectorAll('[data-person-id]')) {
      if (node instanceof HTMLElement && node.dataset.personId === id) node.textContent = name;
    }
  }
}

/** Someone by name when known (the id in the tooltip); anything that is not a Lark id is shown as it is. @param {string} id @returns {string | HTMLElement} */
export function person(id) {
  if (!NAMEABLE.test(id)) return id;
  if (!names.has(id)) askLater(id);
  return h('span', { class: 'person', 'data-person-id': id, title: id }, names.get(id) ?? id);
}

/** A text with the people and groups it names drawn as `person`. @param {string} text @returns {(string | HTMLElement)[]} */
export function withPeople(text) {
  /** @type {(string | HTMLElement)[]} */
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(IN_TEXT)) {
    const at = match.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push(person(match[0]));
    last = at + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * The people and groups named inside drawn text (a card's "approved by ou_…"), redrawn as `person`.
 * @template {Node} T @param {T} root @returns {T}
 */
export function namePeopleIn(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  /** @type {Text[]} */
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node instanceof Text && IN_TEXT_ONCE.test(node.data)) texts.push(node);
  for (const text of texts) text.replaceWith(...withPeople(text.data));
  return root;
}

/** The people a card's mention line names (`<at id=…></at> …`), or null when the markdown is anything else. @param {string} markdown */
export function mentionedIn(markdown) {
  const ids = [...markdown.matchAll(MENTION)].map((match) => match[1] ?? '');
  return ids.length > 0 && markdown.replace(MENTION, '').trim() === '' ? ids : null;
}

/** @param {string} id */
function askLater(id) {
  if (asked.has(id)) return;
  asked.add(id);
  pending.add(id);
  if (pending.size === 1) setTimeout(() => void askNow(), 0);
}

async function askNow() {
  const ids = [...pending].slice(0, 100);
  for (const id of ids) pending.delete(id);
  if (pending.size > 0) setTimeout(() => void askNow(), 0);
  try {
    const { people } = /** @type {{ people: Record<string, string> }} */ (await api(`/people?ids=${ids.map(encodeURIComponent).join(',')}`));
    learnPeople(people);
  } catch {
    // No names now: the ids stay, as they would without Lark.
  }
}

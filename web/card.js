// @ts-check
import { h } from './dom.js';
import { t } from './i18n.js';
import { language } from './labels.js';
import { renderMarkdown } from './markdown.js';
import { mentionedIn, namePeopleIn, person } from './people.js';

/** @typedef {import('./types.js').CardJson} CardJson @typedef {import('./types.js').CardElement} CardElement @typedef {import('./types.js').ButtonValue} ButtonValue @typedef {import('./types.js').LarkText} LarkText */

/** Lark's locale key for each of the page's languages. */
const LARK_LOCALE = /** @type {const} */ ({ 'zh-CN': 'zh_cn', en: 'en_us' });

/**
 * A card text as Lark shows it to a reader of the chosen language: its `i18n_content` for that locale, else
 * `content` (a text the same in every language carries no `i18n_content`). @param {LarkText | undefined} text
 */
export function larkText(text) {
  return text?.i18n_content?.[LARK_LOCALE[language()]] ?? text?.content ?? '';
}

/** The card's title in the chosen language. @param {CardJson} card */
export function cardTitle(card) {
  return larkText(card.header?.title);
}

const TEMPLATES = new Set(['red', 'orange', 'yellow', 'green', 'blue', 'grey', 'turquoise', 'purple', 'indigo', 'wathet', 'violet', 'carmine']);

/**
 * A card as Lark shows it, drawn from the card JSON 2.0 the Lark renderer produced: header, markdown,
 * column sets, buttons, rules. Buttons call `onClick` with their callback value.
 * @param {CardJson} card
 * @param {(value: ButtonValue, button: HTMLButtonElement) => void} onClick
 */
export function renderCard(card, onClick) {
  const template = card.header?.template ?? 'grey';
  const header = h('div', { class: `card-header tone-${TEMPLATES.has(template) ? template : 'grey'}` }, cardTitle(card));
  const body = h('div', { class: 'card-body' }, ...(card.body?.elements ?? []).map((element) => renderElement(element, onClick)));
  return h('div', { class: 'card' }, header, body);
}

/**
 * Lark's `<at id=ou_…></at>` as `@ou_…` where it stands inside other markdown (the mention line itself is
 * drawn by name); the tag is only ever the bot's own (text from elsewhere reaches card markdown with `<` as an entity).
 * @param {string} markdown
 */
function plainMentions(markdown) {
  return markdown.replace(/<at id=([A-Za-z0-9_-]+)><\/at>/g, '@$1');
}

/**
 * @param {CardElement} element
 * @param {(value: ButtonValue, button: HTMLButtonElement) => void} onClick
 * @returns {Node}
 */
function renderElement(element, onClick) {
  switch (element.tag) {
    case 'markdown': {
      const box = h('div', { class: `md${element.text_size === 'notation' ? ' notation' : ''}` });
      // The line of people a card mentions: by name, as Lark shows it.
      const content = larkText(element);
      const mentioned = mentionedIn(content);
      if (mentioned) box.append(...mentioned.flatMap((id, i) => [i ? ' @' : '@', person(id)]));
      else box.appendChild(namePeopleIn(renderMarkdown(plainMentions(content))));
      return box;
    }
    case 'hr':
      return h('hr');
    case 'column_set':
      return h('div', { class: 'columns' }, ...(element.columns ?? []).map((column) => h('div', { class: 'column' }, ...column.elements.map((inner) => renderElement(inner, onClick)))));
    case 'button': {
      const value = element.behaviors?.find((behavior) => behavior.type === 'callback')?.value;
      const button = h('button', { type: 'button', class: `card-button ${element.type ?? 'default'}` }, larkText(element.text) || t('console.card.button'));
      if (value) button.addEventListener('click', () => onClick(value, button));
      else button.disabled = true;
      return button;
    }
    default:
      return h('div', { class: 'md notation' }, t('console.card.unsupported', { tag: element.tag }));
  }
}

// @ts-check
/**
 * The language the page is read in: the reader's choice (this browser remembers it), else the server's
 * LANGUAGE. The API sends people's words in every language it has (`{ en, 'zh-CN' }`); `words` shows the
 * chosen one. The catalog's messages (i18n.js) follow the same choice.
 */

/** @typedef {import('./types.js').Label} Label @typedef {import('./types.js').Language} Language */

const STORAGE_KEY = 'ai-fixer-console-language';
/** @type {readonly Language[]} */
export const LANGUAGES = ['zh-CN', 'en'];

/** @type {Language} */
let current = 'zh-CN';

/** @param {unknown} value @returns {value is Language} */
export function isLanguage(value) {
  return typeof value === 'string' && /** @type {readonly string[]} */ (LANGUAGES).includes(value);
}

/** The chosen language. */
export function language() {
  return current;
}

/** At start: the language this browser chose before, else the server's. @param {Language} serverDefault */
export function startLanguage(serverDefault) {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage refused (a locked-down browser): the server's default, every time.
  }
  current = isLanguage(stored) ? stored : serverDefault;
  document.documentElement.lang = current;
}

/** The reader picked a language: used from now on and remembered. @param {Language} chosen */
export function chooseLanguage(chosen) {
  current = chosen;
  document.documentElement.lang = chosen;
  try {
    localStorage.setItem(STORAGE_KEY, chosen);
  } catch {
    // Not remembered; still used on this page.
  }
}

/** People's words in the chosen language; a plain string (from a server that sent one) as it is. @param {Label | string} label */
export function words(label) {
  if (typeof label === 'string') return label;
  return label[current] ?? label.en;
}

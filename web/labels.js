// @ts-check
/**
 * The API sends people's words in every language it has (`{ en, 'zh-CN' }`); the page shows one. English
 * for now: choosing the language is the i18n work's, and it changes only this file.
 */

/** @typedef {import('./types.js').Label} Label */

/** @param {Label} label */
export function words(label) {
  return label.en;
}

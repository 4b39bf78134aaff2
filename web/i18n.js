// @ts-check
import { IntlMessageFormat } from 'intl-messageformat';
import { language, startLanguage } from './labels.js';

/**
 * The page's words: the console's catalog (src/i18n/messages/console.ts, served by GET /api/messages in every
 * language), formatted here by intl-messageformat, the library the server formats with, in the language the
 * reader chose and the server's time zone (TIMEZONE). Values are text, never markup (`ignoreTag`).
 */

/** @typedef {import('./types.js').Label} Label @typedef {import('./types.js').Language} Language */
/** @typedef {{ language: Language, timeZone: string, formats: { date?: Record<string, Intl.DateTimeFormatOptions>, time?: Record<string, Intl.DateTimeFormatOptions> }, messages: Record<string, Label> }} Catalog */
/** @typedef {string | number | Date} Value */

/** @type {Catalog} */
let catalog = { language: 'zh-CN', timeZone: 'UTC', formats: {}, messages: {} };
/** @type {Map<string, IntlMessageFormat>} */
const compiled = new Map();

/** Reads the catalog, the default language and the time zone; the reader's own choice wins over the default. */
export async function loadCatalog() {
  const response = await fetch('/api/messages');
  if (!response.ok) throw new Error(`/api/messages: HTTP ${response.status}`);
  const body = /** @type {unknown} */ (await response.json());
  catalog = /** @type {Catalog} */ (body);
  startLanguage(catalog.language);
}

/** @param {string} key */
function message(key) {
  const lang = language();
  const id = `${lang}\n${key}`;
  let format = compiled.get(id);
  if (!format) {
    const text = catalog.messages[key]?.[lang] ?? key;
    format = new IntlMessageFormat(text, lang, /** @type {never} */ (catalog.formats), { ignoreTag: true });
    compiled.set(id, format);
  }
  return format;
}

/** A catalog message in the chosen language. @param {string} key @param {Record<string, Value>} [values] @returns {string} */
export function t(key, values) {
  const out = message(key).format(values);
  return Array.isArray(out) ? out.join('') : String(out);
}

/**
 * A message with elements among its values (a person drawn by name): its text and those nodes, in the
 * message's order (word order differs between languages). @param {string} key @param {Record<string, Value | Node>} values
 * @returns {(string | Node)[]}
 */
export function parts(key, values) {
  const out = /** @type {unknown} */ (message(key).format(/** @type {Record<string, Value>} */ (values)));
  return (Array.isArray(out) ? out : [out]).map((part) => (part instanceof Node ? part : String(part)));
}

/** "12月7日 14:05" / "Dec 7, 14:05", in the server's time zone. @param {string | Date} at */
export function when(at) {
  return new Intl.DateTimeFormat(language(), { ...catalog.formats.date?.when, timeZone: catalog.timeZone }).format(new Date(at));
}

/** With the year and the zone: for tooltips and records. @param {string | Date} at */
export function fullTime(at) {
  return new Intl.DateTimeFormat(language(), { ...catalog.formats.date?.full, timeZone: catalog.timeZone }).format(new Date(at));
}

/** @type {[Intl.RelativeTimeFormatUnit, number][]} */
const RELATIVE_STEPS = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
];

/** "3 分钟前" / "3 minutes ago", "2 小时后" / "in 2 hours"; past a month, the date. @param {string | Date} at @param {Date} [now] */
export function relative(at, now = new Date()) {
  let amount = (new Date(at).getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(language(), { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) return format.format(Math.round(amount), unit);
    amount /= size;
  }
  return when(at);
}

/** The page's fixed words (index.html's `data-i18n`, `data-i18n-title`, `data-i18n-aria-label`), in the chosen language. */
export function translatePage() {
  document.title = t('console.page.title');
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.getAttribute('data-i18n') ?? '');
  for (const element of document.querySelectorAll('[data-i18n-title]')) element.setAttribute('title', t(element.getAttribute('data-i18n-title') ?? ''));
  for (const element of document.querySelectorAll('[data-i18n-aria-label]')) element.setAttribute('aria-label', t(element.getAttribute('data-i18n-aria-label') ?? ''));
}

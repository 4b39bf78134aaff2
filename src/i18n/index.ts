/**
 * Languages and message catalogs. Everything a person reads is a catalog message (messages/*.ts, en + zh-CN,
 * ICU MessageFormat); alert text, model output and plugin output are shown verbatim, never translated.
 * Build text with a `Translator` (one language, TIMEZONE) or `I18n.both` (every language, e.g. a Lark card).
 */
export { CATALOG, CATALOG_PARTS, type MessageKey } from './catalog';
export { ENGLISH_UTC, I18n } from './i18n';
export { LANGUAGES, LARK_LOCALE, mapLocalized, parseLanguage, verbatim, type Language, type Localized } from './languages';
export type { MessageTable } from './message-table';
export { formatsIn, Translator, type MessageValues } from './translator';

/**
 * The languages people read ai-fixer in. zh-CN first: most Feishu groups read Chinese first. The labels next to
 * the chart (machines/incident.labels.ts) use the same two, so a label is a `Localized<string>` as it is.
 */
import { LABEL_LANGUAGES, type LabelLanguage } from '../../machines/incident.labels';

export const LANGUAGES = LABEL_LANGUAGES;
export type Language = LabelLanguage;

/** One value per language, e.g. a card built once for each, or a reply written in both. */
export type Localized<T> = Record<Language, T>;

/** Lark's locale keys (card `i18n_content`, callback toast `i18n`). */
export const LARK_LOCALE: Record<Language, 'zh_cn' | 'en_us'> = { 'zh-CN': 'zh_cn', en: 'en_us' };

/** What people type or configure: `zh`, `zh-CN`, `zh_cn`, `cn`, `中文`, `en`, `en-US`, `english` … */
export function parseLanguage(text: string): Language | undefined {
  const word = text.trim().toLowerCase().replace(/_/g, '-');
  if (['zh', 'zh-cn', 'zh-hans', 'cn', 'chinese', '中文', '简体中文'].includes(word)) return 'zh-CN';
  if (['en', 'en-us', 'en-gb', 'english', '英文', '英语'].includes(word)) return 'en';
  return undefined;
}

/** The same text in every language: alert text, model output, ids — shown as they are, never translated. */
export function verbatim<T>(value: T): Localized<T> {
  return { 'zh-CN': value, en: value };
}

export function mapLocalized<T, U>(value: Localized<T>, map: (item: T, language: Language) => U): Localized<U> {
  return { 'zh-CN': map(value['zh-CN'], 'zh-CN'), en: map(value.en, 'en') };
}

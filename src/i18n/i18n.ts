import type { MessageKey } from './catalog';
import type { Language, Localized } from './languages';
import { Translator, type MessageValues } from './translator';

/**
 * The project's languages and time zone (LANGUAGE, TIMEZONE): hands out translators and builds what is shown in
 * every language at once (a Lark card carries both; each reader sees their client's).
 */
export class I18n {
  private readonly translators = new Map<Language, Translator>();

  constructor(
    readonly defaultLanguage: Language,
    readonly timeZone: string,
  ) {}

  translator(language: Language = this.defaultLanguage): Translator {
    let translator = this.translators.get(language);
    if (!translator) {
      translator = new Translator(language, this.timeZone);
      this.translators.set(language, translator);
    }
    return translator;
  }

  /** Builds a value once per language: a card, a reply, a list. */
  both<T>(build: (tr: Translator) => T): Localized<T> {
    return { 'zh-CN': build(this.translator('zh-CN')), en: build(this.translator('en')) };
  }

  /** One catalog message in every language. */
  text(key: MessageKey, values?: MessageValues): Localized<string> {
    return this.both((tr) => tr.t(key, values));
  }
}

/**
 * English in UTC: for tests and tools that read output, and for texts without times built in every language
 * at once (`both`, `text`); the app builds its own from the configuration for the rest.
 */
export const ENGLISH_UTC = new I18n('en', 'UTC');

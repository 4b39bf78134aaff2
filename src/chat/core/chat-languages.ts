import { parseLanguage, type I18n, type Language, type Translator } from '../../i18n';

/** Where a chat's own language is kept (Postgres `chat_settings`); a chat that chose none has none. */
export interface ChatLanguageStore {
  languageOf(chatId: string): Promise<string | undefined>;
  setLanguage(chatId: string, language: Language | null, by: string): Promise<void>;
}

/** Other instances see a `/lang` change within this long. */
const CACHE_MS = 30_000;

/**
 * Which language a chat reads: what it chose with `/lang`, else LANGUAGE. Read often (every reply), changed
 * rarely, so it is cached for a short while; the instance that changes it sees the change at once.
 */
export class ChatLanguages {
  private readonly cache = new Map<string, { language: Language; until: number }>();

  constructor(
    readonly i18n: I18n,
    private readonly store?: ChatLanguageStore,
  ) {}

  /** A post never fails for want of its language: if the store cannot answer, the last known one (or LANGUAGE) is used. */
  async languageOf(chatId: string): Promise<Language> {
    const cached = this.cache.get(chatId);
    if (cached && cached.until > Date.now()) return cached.language;
    let chosen: Language | undefined;
    try {
      chosen = this.store ? parseLanguage((await this.store.languageOf(chatId)) ?? '') : undefined;
    } catch {
      return cached?.language ?? this.i18n.defaultLanguage; // asked again next time
    }
    const language = chosen ?? this.i18n.defaultLanguage;
    this.remember(chatId, language);
    return language;
  }

  /**
   * The language last known for the chat, without waiting (the terminal prints in order, synchronously); a stale
   * entry is refreshed in the background for next time.
   */
  peek(chatId: string): Language {
    const cached = this.cache.get(chatId);
    if (!cached || cached.until <= Date.now()) {
      void this.languageOf(chatId); // next time's answer (it never rejects); this one stands either way
    }
    return cached?.language ?? this.i18n.defaultLanguage;
  }

  async translatorFor(chatId: string): Promise<Translator> {
    return this.i18n.translator(await this.languageOf(chatId));
  }

  /** `null` goes back to the configured default. Without a store (tests, tools) it lasts as long as the process. */
  async choose(chatId: string, language: Language | null, by: string): Promise<Language> {
    await this.store?.setLanguage(chatId, language, by);
    const effective = language ?? this.i18n.defaultLanguage;
    this.remember(chatId, effective, this.store ? CACHE_MS : Number.POSITIVE_INFINITY);
    return effective;
  }

  private remember(chatId: string, language: Language, ms = CACHE_MS): void {
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(chatId, { language, until: Date.now() + ms });
  }
}

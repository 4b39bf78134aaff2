import { describe, expect, it } from 'vitest';
import { ChatLanguages, type ChatLanguageStore } from '../../src/chat/core/chat-languages';
import { I18n } from '../../src/i18n';

/** A store whose answers the test sets, and which can fail like a database in an outage. */
class TestStore implements ChatLanguageStore {
  readonly chosen = new Map<string, string>();
  failing = false;
  reads = 0;

  languageOf(chatId: string): Promise<string | undefined> {
    this.reads += 1;
    return this.failing ? Promise.reject(new Error('database unavailable')) : Promise.resolve(this.chosen.get(chatId));
  }

  setLanguage(chatId: string, language: 'zh-CN' | 'en' | null): Promise<void> {
    if (language) this.chosen.set(chatId, language);
    else this.chosen.delete(chatId);
    return Promise.resolve();
  }
}

describe('a chat\'s language', () => {
  it('is what the chat chose, else LANGUAGE; a choice is seen at once by the instance that made it', async () => {
    const store = new TestStore();
    const languages = new ChatLanguages(new I18n('zh-CN', 'UTC'), store);
    expect(await languages.languageOf('oc_a')).toBe('zh-CN');
    expect(await languages.choose('oc_a', 'en', 'ou_alice')).toBe('en');
    expect(await languages.languageOf('oc_a')).toBe('en');
    expect(store.chosen.get('oc_a')).toBe('en');
    expect(await languages.choose('oc_a', null, 'ou_alice')).toBe('zh-CN');
  });

  it('never fails a post: when the store cannot answer, the language is the last known one or LANGUAGE', async () => {
    const store = new TestStore();
    store.failing = true;
    const languages = new ChatLanguages(new I18n('en', 'UTC'), store);
    await expect(languages.languageOf('oc_b')).resolves.toBe('en');
    expect(languages.peek('oc_b')).toBe('en');
    store.failing = false;
    store.chosen.set('oc_b', 'zh-CN');
    // The failure was not remembered: the next read asks again.
    await expect(languages.languageOf('oc_b')).resolves.toBe('zh-CN');
  });
});

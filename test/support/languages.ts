import { ChatLanguages } from '../../src/chat/core/chat-languages';
import { ENGLISH_UTC, verbatim } from '../../src/i18n';

/** Tests read English in UTC unless they test the languages themselves. */
export const englishChats = (): ChatLanguages => new ChatLanguages(ENGLISH_UTC);

/** A test's own text or card, the same in every language. */
export const same = verbatim;

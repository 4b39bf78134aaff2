import type { Localized } from './languages';

/**
 * A part of the catalog: message key → ICU MessageFormat text in each language, side by side so a missing or
 * stale translation shows in review. Placeholders are `{name}`; counts use `{n, plural, one {…} other {…}}`
 * (Chinese has only `other`); times use `{at, date, when}` or `{at, time, short}` (TIMEZONE). The text is
 * read as ICU, so a literal `{` or `'` is written `'{'` / `''`. A test parses every message and checks that
 * both languages take the same placeholders.
 */
export type MessageTable = Record<string, Localized<string>>;

import { CATALOG, ENGLISH_UTC, type Localized, type MessageValues } from '../../i18n';
import type { consoleMessages } from '../../i18n/messages/console';

export type ConsoleKey = keyof typeof consoleMessages;

/**
 * What the console's API tells people (errors, action names, timeline rows) goes out in every language;
 * the page shows the one its reader chose. These texts carry no times, so no time zone is involved.
 */
const TEXTS = ENGLISH_UTC;

export function isConsoleKey(text: string): text is ConsoleKey {
  return text.startsWith('console.') && text in CATALOG;
}

/** The limit a value broke (`{max}`, `{min}`), for a message that names it. */
export function boundOf(issue: object): MessageValues {
  const { maximum, minimum } = issue as { maximum?: unknown; minimum?: unknown };
  const bound = maximum ?? minimum;
  return typeof bound === 'number' || typeof bound === 'bigint' ? { max: Number(bound), min: Number(bound) } : {};
}

export function consoleText(key: ConsoleKey, values?: MessageValues): Localized<string> {
  return TEXTS.text(key, values);
}

import { I18n, type Localized, type MessageValues } from '../../i18n';
import type { consoleMessages } from '../../i18n/messages/console';

export type ConsoleKey = keyof typeof consoleMessages;

/**
 * What the console's API tells people (errors, action names, timeline rows) goes out in every language;
 * the page shows the one its reader chose. These texts carry no times, so no time zone is involved.
 */
const TEXTS = new I18n('en', 'UTC');

export function consoleText(key: ConsoleKey, values?: MessageValues): Localized<string> {
  return TEXTS.text(key, values);
}

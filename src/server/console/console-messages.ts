import { CATALOG_PARTS, formatsIn, type I18n } from '../../i18n';
import type { Route } from '../../http/route';

/** Where the page reads its words; outside /api/console, as the token dialog needs them before any token. */
export const MESSAGES_PATH = '/api/messages';

/**
 * The page's words: the console's catalog in every language (ICU, formatted in the browser by
 * intl-messageformat), the default language (LANGUAGE), and the time zone and date formats (TIMEZONE) the
 * server's own translators use. Nothing here is secret: it is the same for everyone.
 */
export function consoleMessagesRoute(i18n: I18n): Route {
  const body = { language: i18n.defaultLanguage, timeZone: i18n.timeZone, formats: formatsIn(i18n.timeZone), messages: CATALOG_PARTS.console };
  return { method: 'GET', path: MESSAGES_PATH, handle: () => Promise.resolve({ status: 200, headers: { 'cache-control': 'no-cache' }, body }) };
}

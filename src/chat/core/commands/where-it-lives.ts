import type { Translator } from '../../../i18n';
import { WEB_CHAT_ID } from '../web-chat-id';

/** Two whole sentences one after the other: a space between them in English, none in Chinese. */
export function sentences(tr: Translator, ...texts: string[]): string {
  return texts.filter(Boolean).join(tr.language === 'en' ? ' ' : '');
}

/**
 * For a reply in one chat about an incident that lives in another (approved from the terminal, opened in
 * the web console): where its cards and what follows will appear. Empty when it lives here.
 */
export function whereItLives(tr: Translator, incident: { id: string; chatId: string }, hereChatId: string): string {
  if (incident.chatId === hereChatId) return '';
  if (incident.chatId === WEB_CHAT_ID) return tr.t('cmd.livesIn.web', { id: incident.id });
  return tr.t('cmd.livesIn.chat', { id: incident.id, chat: incident.chatId });
}

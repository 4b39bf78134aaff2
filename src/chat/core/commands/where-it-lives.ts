import { WEB_CHAT_ID } from '../web-chat-id';

/**
 * For a reply in one chat about an incident that lives in another (approved from the terminal, opened in
 * the web console): where its cards and what follows will appear. Empty when it lives here.
 */
export function whereItLives(incident: { id: string; chatId: string }, hereChatId: string): string {
  if (incident.chatId === hereChatId) return '';
  const where = incident.chatId === WEB_CHAT_ID ? 'the web console chat' : `chat ${incident.chatId}`;
  return ` ${incident.id} lives in ${where}: its cards and what follows appear there, not here.`;
}

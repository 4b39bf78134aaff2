/** The chat id of the web console's chat: incidents opened there live there. */
export const WEB_CHAT_ID = 'web';

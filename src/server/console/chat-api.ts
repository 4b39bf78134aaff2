import type { WebChat } from '../../chat/web/web-chat';
import { MAX_MESSAGE_CHARS, UnknownSampleError, WebClickInput, WebMessageInput } from '../../chat/web/web-inbound';
import type { WebInbound } from '../../chat/web/web-inbound';
import { ALERT_SAMPLES } from '../../chat/web/alert-samples';
import type { Route } from '../../http/route';
import type { LoopbackTrust } from './console-auth';
import { eventStreamResponse } from './event-stream';
import type { LiveSources } from './event-stream';
import { badRequest, consoleRoute, invalidInput, parseBody } from './console-routes';

export interface ChatApiDeps {
  /** CONSOLE_TOKEN, and whether this machine may skip it (CONSOLE_TRUST_LOOPBACK). */
  access: LoopbackTrust;
  chat: WebChat;
  inbound: WebInbound;
  live: LiveSources;
  user: string;
}

const HISTORY_LIMIT = 300;

/** The chat half of the console: history, sending, clicking, and the live stream. */
export function chatApiRoutes({ access, chat, inbound, live, user }: ChatApiDeps): Route[] {
  return [
    consoleRoute(access, 'GET', '/session', () =>
      Promise.resolve({ status: 200, body: { user, chatId: chat.chatId, maxMessageChars: MAX_MESSAGE_CHARS, samples: ALERT_SAMPLES.map(({ id, label }) => ({ id, label })) } }),
    ),
    consoleRoute(access, 'GET', '/messages', async () => ({ status: 200, body: { messages: await chat.history(HISTORY_LIMIT) } })),
    consoleRoute(access, 'POST', '/messages', async (request) => {
      const input = parseBody(request, WebMessageInput);
      if (!input.ok) return input.response;
      try {
        return { status: 202, body: { message: await inbound.send(input.value) } };
      } catch (error) {
        if (error instanceof UnknownSampleError) return badRequest(error.message);
        return invalidInput(error);
      }
    }),
    consoleRoute(access, 'POST', '/clicks', async (request) => {
      const input = parseBody(request, WebClickInput);
      if (!input.ok) return input.response;
      const answer = await inbound.click(input.value);
      return { status: 200, body: { toast: answer.toast } };
    }),
    consoleRoute(access, 'GET', '/events', () => Promise.resolve(eventStreamResponse(live))),
  ];
}

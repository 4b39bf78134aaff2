import type { PeopleDirectory } from '../../chat/core/people-directory';
import type { WebChat } from '../../chat/web/web-chat';
import { MAX_MESSAGE_CHARS, UnknownSampleError, WebClickInput, WebMessageInput } from '../../chat/web/web-inbound';
import type { WebInbound } from '../../chat/web/web-inbound';
import { ALERT_SAMPLES } from '../../chat/web/alert-samples';
import type { Route } from '../../http/route';
import type { LoopbackTrust } from './console-auth';
import { eventStreamResponse } from './event-stream';
import type { LiveSources } from './event-stream';
import { badRequest, consoleRoute, invalidInput, parseBody } from './console-routes';
import { idsOfMessages, namesFor, peopleRoute } from './people-names';

export interface ChatApiDeps {
  /** CONSOLE_TOKEN, and whether this machine may skip it (CONSOLE_TRUST_LOOPBACK). */
  access: LoopbackTrust;
  chat: WebChat;
  inbound: WebInbound;
  live: LiveSources;
  user: string;
  /** Names for the people the chat shows (Lark's contact API), else their ids. */
  people: PeopleDirectory;
}

const HISTORY_LIMIT = 300;

/** The chat half of the console: history, sending, clicking, and the live stream. */
export function chatApiRoutes({ access, chat, inbound, live, user, people }: ChatApiDeps): Route[] {
  return [
    consoleRoute(access, 'GET', '/session', async () => ({
      status: 200,
      body: { user, chatId: chat.chatId, maxMessageChars: MAX_MESSAGE_CHARS, samples: ALERT_SAMPLES.map(({ id, label }) => ({ id, label })), people: await namesFor(people, [user]) },
    })),
    consoleRoute(access, 'GET', '/messages', async () => {
      const messages = await chat.history(HISTORY_LIMIT);
      return { status: 200, body: { messages, people: await namesFor(people, idsOfMessages(messages)) } };
    }),
    peopleRoute(access, people),
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

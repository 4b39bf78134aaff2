import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import { CachedDirectory, NamesRefusedError } from '../core/cached-directory';
import type { CachedDirectoryOptions, NameSource } from '../core/cached-directory';
import { GROUP_ID, PERSON_ID } from '../core/people-directory';
import type { PeopleDirectory } from '../core/people-directory';
import { callLark, LarkApiError } from './lark-client';

/**
 * Lark's answers that mean "this app may not read that": the app lacks the scope (99991672), the token
 * lacks it (99991676), or the gateway forbids it outright (HTTP 403).
 */
const REFUSAL_CODES = new Set([99991672, 99991676]);
/** GET /open-apis/contact/v3/users/batch takes at most 50 ids. */
const USERS_PER_CALL = 50;

function refusal(error: unknown): boolean {
  return error instanceof LarkApiError && ((error.code !== undefined && REFUSAL_CODES.has(error.code)) || error.httpStatus === 403);
}

/** A business error about the ids asked (not found, out of the app's contact range): no names, nothing broken. */
function aboutTheIds(error: unknown): boolean {
  return error instanceof LarkApiError && !error.throttled && !error.transient && error.code !== undefined;
}

async function asked<T>(lookUp: () => Promise<T>, none: T): Promise<T> {
  try {
    return await lookUp();
  } catch (error) {
    if (refusal(error)) throw new NamesRefusedError(error instanceof Error ? error.message : String(error));
    if (aboutTheIds(error)) return none;
    throw error;
  }
}

/** People by open id: `contact.v3.user.batch` (scope contact:user.base:readonly), fifty at a time. */
export function larkUserNames(client: lark.Client): NameSource {
  return {
    label: 'Lark contacts (scope contact:user.base:readonly)',
    batchSize: USERS_PER_CALL,
    accepts: (id) => PERSON_ID.test(id),
    lookUp: (ids) =>
      asked(async () => {
        const data = await callLark('contact.v3.user.batch', () => client.contact.v3.user.batch({ params: { user_ids: ids, user_id_type: 'open_id' } }));
        return new Map((data.items ?? []).flatMap((user) => (user.open_id && user.name ? [[user.open_id, user.name] as const] : [])));
      }, new Map<string, string>()),
  };
}

/** Groups by chat id: `im.v1.chat.get` (the bot must be in the group, or hold im:chat:readonly), one at a time. */
export function larkGroupNames(client: lark.Client): NameSource {
  return {
    label: 'Lark groups (scope im:chat:readonly)',
    batchSize: 1,
    accepts: (id) => GROUP_ID.test(id),
    lookUp: async (ids) => {
      const names = new Map<string, string>();
      for (const chatId of ids) {
        const name = await asked(async () => (await callLark('im.v1.chat.get', () => client.im.v1.chat.get({ path: { chat_id: chatId } }))).name, undefined);
        if (name) names.set(chatId, name);
      }
      return names;
    },
  };
}

/** Names from Lark's contact and group APIs, cached (see CachedDirectory for how long). */
export function larkPeopleDirectory(client: lark.Client, logger: Logger, options: Partial<CachedDirectoryOptions> = {}): PeopleDirectory {
  return new CachedDirectory({ sources: [larkUserNames(client), larkGroupNames(client)], logger: logger.child({ component: 'lark-people' }), ...options });
}

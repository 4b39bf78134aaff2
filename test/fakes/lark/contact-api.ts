import type { ServerResponse } from 'node:http';
import { sendJson, sendLarkError } from './http-io';

/**
 * The directory the fake answers from: `GET /open-apis/contact/v3/users/batch` (people by open id) and
 * `GET /open-apis/im/v1/chats/:chat_id` (a group's name), as Lark answers them. A test can make the app
 * lack the scope: Lark then answers HTTP 400 with code 99991672 and the scopes it wanted.
 */
export class ContactDirectory {
  private readonly people = new Map<string, string>();
  private readonly groups = new Map<string, string>();
  /** Which lookups are refused as for an app without their scope. */
  private refused: { users: boolean; groups: boolean } = { users: false, groups: false };

  addPerson(openId: string, name: string): void {
    this.people.set(openId, name);
  }

  addGroup(chatId: string, name: string): void {
    this.groups.set(chatId, name);
  }

  /** Answers as for an app without the contact (or group) scope, until `allow()`. */
  refuse(which: { users?: boolean; groups?: boolean } = { users: true, groups: true }): void {
    this.refused = { users: which.users ?? false, groups: which.groups ?? false };
  }

  allow(): void {
    this.refused = { users: false, groups: false };
  }

  answerUsers(res: ServerResponse, url: URL): void {
    if (this.refused.users) {
      refuseScope(res, ['contact:contact.base:readonly', 'contact:user.base:readonly', 'contact:contact:readonly_as_app']);
      return;
    }
    if (url.searchParams.get('user_id_type') !== 'open_id') {
      sendLarkError(res, 400, PARAM_INVALID, 'field validation failed: user_id_type must be open_id in this fake');
      return;
    }
    const ids = url.searchParams.getAll('user_ids');
    if (ids.length === 0 || ids.length > MAX_USERS) {
      sendLarkError(res, 400, PARAM_INVALID, `field validation failed: user_ids must list 1..${MAX_USERS} ids`);
      return;
    }
    // Ids Lark does not know (or the app may not see) are simply not in `items`.
    const items = ids.flatMap((id) => {
      const name = this.people.get(id);
      return name === undefined ? [] : [{ open_id: id, union_id: `on_${id.slice(3)}`, name, en_name: '', mobile: '', status: { is_activated: true } }];
    });
    sendJson(res, 200, { code: 0, msg: 'success', data: { items } });
  }

  answerGroup(res: ServerResponse, chatId: string): void {
    if (this.refused.groups) {
      refuseScope(res, ['im:chat:readonly', 'im:chat']);
      return;
    }
    const name = this.groups.get(chatId);
    if (name === undefined) {
      sendLarkError(res, 400, CHAT_NOT_FOUND, 'chat not found or the bot is not in the chat');
      return;
    }
    sendJson(res, 200, { code: 0, msg: 'success', data: { chat_id: chatId, name, description: '', chat_mode: 'group', chat_type: 'private', owner_id_type: 'open_id' } });
  }
}

const PARAM_INVALID = 99992402;
const SCOPE_MISSING = 99991672;
const CHAT_NOT_FOUND = 232011;
const MAX_USERS = 50;

/** Lark's answer to an app without the scope an API needs. */
function refuseScope(res: ServerResponse, scopes: string[]): void {
  sendJson(res, 400, {
    code: SCOPE_MISSING,
    msg: `Access denied. One of the following scopes is required: [${scopes.join(', ')}].应用尚未开通所需的应用身份权限：[${scopes.join(', ')}]`,
    error: { permission_violations: scopes.map((subject) => ({ type: 'action_scope_required', subject })) },
  });
}

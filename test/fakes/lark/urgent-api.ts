import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, parseJson, readBody, sendJson, sendLarkError } from './http-io';
import type { MessageStore } from './message-store';

/** One urgent (加急) call the bot made, as Lark accepted it. */
export interface UrgentRecord {
  messageId: string;
  channel: 'app' | 'sms' | 'phone';
  userIds: string[];
}

const PARAM_INVALID = 99992402;
const MESSAGE_INVALID = 230001;

/**
 * `PATCH /open-apis/im/v1/messages/:message_id/urgent_{app,sms,phone}?user_id_type=open_id`: Lark urgents
 * only the app's own messages, to the people in `user_id_list`. Accepted calls are recorded.
 */
export async function answerUrgent(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  target: { appId: string; store: MessageStore; urgents: UrgentRecord[]; messageId: string; channel: string },
): Promise<void> {
  const message = target.store.get(target.messageId);
  if (!message || message.sender.id !== target.appId) {
    sendLarkError(res, 400, MESSAGE_INVALID, `invalid message_id: ${target.messageId} is not a message this app sent`);
    return;
  }
  if (url.searchParams.get('user_id_type') !== 'open_id') {
    sendLarkError(res, 400, PARAM_INVALID, 'field validation failed: user_id_type must be open_id in this fake');
    return;
  }
  const body = parseJson(await readBody(req));
  const ids: unknown[] = isRecord(body) && Array.isArray(body.user_id_list) ? body.user_id_list : [];
  if (ids.length === 0 || !ids.every((id): id is string => typeof id === 'string' && id.length > 0)) {
    sendLarkError(res, 400, PARAM_INVALID, 'field validation failed: user_id_list must list open ids');
    return;
  }
  target.urgents.push({ messageId: target.messageId, channel: target.channel as UrgentRecord['channel'], userIds: ids });
  sendJson(res, 200, { code: 0, msg: 'success', data: { invalid_user_id_list: [] } });
}

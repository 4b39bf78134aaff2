import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, parseJson, readBody, sendJson, sendLarkError } from './http-io';
import { newTenantToken } from './ids';
import type { MessageStore, StoredMessage } from './message-store';
import { validateContent } from './content-rules';
import { answerUrgent } from './urgent-api';
import { ContactDirectory } from './contact-api';
import type { UrgentRecord } from './urgent-api';
import type { EnforcedRateLimit, InjectedThrottle, LarkErrorAnswer, ThrottledRoute } from './throttle';

/** The open platform's REST side: the tenant token and the im message, reaction and history APIs. */

export interface OpenApiContext {
  appId: string;
  appSecret: string;
  tenantKey: string;
  /** What GET /open-apis/bot/v3/info answers: the bot's own open id, which mentions of it carry. */
  bot: { openId: string; name: string };
  store: MessageStore;
  throttle: InjectedThrottle;
  /** Set when the fake enforces 5 sends/s per chat and 5 updates/s per card. */
  sendLimit?: EnforcedRateLimit;
  updateLimit?: EnforcedRateLimit;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Filled in when the answer has been sent. */
  status: number;
}

const TOKEN_LIFETIME_SECONDS = 7200;
const PARAM_INVALID = 99992402;
const MESSAGE_INVALID = 230001;
const MESSAGES_PATH = '/open-apis/im/v1/messages';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: string[]) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  authenticated: boolean;
  handler: Handler;
}

export class OpenApi {
  readonly log: RequestLogEntry[] = [];
  readonly urgents: UrgentRecord[] = [];
  /** Who Lark's contact and group APIs name. */
  readonly contacts = new ContactDirectory();
  private readonly tokens = new Map<string, number>();
  private readonly routes: Route[];

  constructor(private readonly ctx: OpenApiContext) {
    const message = `^${MESSAGES_PATH}/([A-Za-z0-9_-]+)`;
    const api = (method: string, pattern: string, handler: Handler, authenticated = true): Route => ({
      method,
      pattern: new RegExp(`${pattern}$`),
      authenticated,
      handler,
    });
    this.routes = [
      api('POST', '^/open-apis/auth/v3/tenant_access_token/internal', (q, s) => this.issueToken(q, s), false),
      api('GET', '^/open-apis/bot/v3/info', (q, s) => Promise.resolve(this.botInfo(s))),
      api('POST', `^${MESSAGES_PATH}`, (q, s, u) => this.create(q, s, u)),
      api('GET', `^${MESSAGES_PATH}`, (q, s, u) => this.list(s, u)),
      api('GET', message, (q, s, u, p) => this.getOne(s, p)),
      api('POST', `${message}/reply`, (q, s, u, p) => this.reply(q, s, p)),
      api('PATCH', message, (q, s, u, p) => this.patch(q, s, p)),
      api('PATCH', `${message}/urgent_(app|sms|phone)`, (q, s, u, [messageId = '', channel = '']) =>
        answerUrgent(q, s, u, { appId: ctx.appId, store: ctx.store, urgents: this.urgents, messageId, channel }),
      ),
      api('GET', '^/open-apis/contact/v3/users/batch', (q, s, u) => Promise.resolve(this.contacts.answerUsers(s, u))),
      api('GET', '^/open-apis/im/v1/chats/([A-Za-z0-9_-]+)', (q, s, u, [chatId = '']) => Promise.resolve(this.contacts.answerGroup(s, chatId))),
      api('POST', `${message}/reactions`, (q, s, u, p) => this.react(q, s, p)),
      api('DELETE', `${message}/reactions/([A-Za-z0-9_-]+)`, (q, s, u, p) => this.unreact(s, p)),
    ];
  }

  /** Handles the request if it is an open API route; false leaves it to the caller. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match || req.method !== route.method) continue;
      this.recordAnswer(req, res, url);
      if (route.authenticated && !this.authorized(req, res)) return true;
      await route.handler(req, res, url, match.slice(1));
      return true;
    }
    return false;
  }

  private recordAnswer(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const entry: RequestLogEntry = { method: req.method ?? '', path: url.pathname, status: 0 };
    this.log.push(entry);
    res.once('finish', () => {
      entry.status = res.statusCode;
    });
  }

  private botInfo(res: ServerResponse): void {
    if (this.ctx.throttle.takeDrop('info')) {
      res.socket?.destroy();
      return;
    }
    const { openId, name } = this.ctx.bot;
    sendJson(res, 200, { code: 0, msg: 'ok', bot: { activate_status: 2, app_name: name, avatar_url: '', ip_white_list: [], open_id: openId } });
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    const header = req.headers.authorization;
    if (!header) {
      sendLarkError(res, 400, 99991661, 'Missing access token for authorization. Please make a request with token attached.');
      return false;
    }
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    const expiresAt = token ? this.tokens.get(token) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      sendLarkError(res, 400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
      return false;
    }
    return true;
  }

  private async issueToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = parseJson(await readBody(req));
    if (!isRecord(body) || body.app_id !== this.ctx.appId) {
      sendLarkError(res, 400, 10003, 'invalid param: app_id');
      return;
    }
    if (body.app_secret !== this.ctx.appSecret) {
      sendLarkError(res, 400, 10014, 'app secret invalid');
      return;
    }
    const token = newTenantToken();
    // Real time, not the fake's clock: the SDK caches tokens by real time and never retries a rejected one.
    this.tokens.set(token, Date.now() + TOKEN_LIFETIME_SECONDS * 1000);
    sendJson(res, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: TOKEN_LIFETIME_SECONDS });
  }

  private async create(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (this.rejectedByThrottle(res, 'create')) return;
    const receiveIdType = url.searchParams.get('receive_id_type');
    if (receiveIdType !== 'chat_id') {
      sendLarkError(res, 400, PARAM_INVALID, `field validation failed: receive_id_type must be chat_id in this fake, got ${receiveIdType}`);
      return;
    }
    const body = parseJson(await readBody(req));
    if (!isRecord(body) || typeof body.receive_id !== 'string' || !body.receive_id) {
      sendLarkError(res, 400, PARAM_INVALID, 'field validation failed: receive_id is required');
      return;
    }
    await this.send(res, body, body.receive_id, undefined);
  }

  private async reply(req: IncomingMessage, res: ServerResponse, [messageId = '']: string[]): Promise<void> {
    if (this.rejectedByThrottle(res, 'reply')) return;
    const parent = this.ctx.store.get(messageId);
    if (!parent) {
      sendLarkError(res, 400, MESSAGE_INVALID, `invalid message_id: ${messageId} not found`);
      return;
    }
    const body = parseJson(await readBody(req));
    if (!isRecord(body)) {
      sendLarkError(res, 400, PARAM_INVALID, 'field validation failed: body must be a JSON object');
      return;
    }
    await this.send(res, body, parent.chatId, parent);
  }

  /** Create and reply share validation, uuid dedup and the per-chat limit. */
  private send(res: ServerResponse, body: Record<string, unknown>, chatId: string, parent: StoredMessage | undefined): Promise<void> {
    const { msg_type: msgType, content, uuid } = body;
    if (uuid !== undefined && (typeof uuid !== 'string' || uuid.length > 50)) {
      sendLarkError(res, 400, PARAM_INVALID, 'field validation failed: uuid must be a string of at most 50 characters');
      return Promise.resolve();
    }
    const checked = validateContent(msgType, content);
    if (!checked.ok) {
      sendLarkError(res, 400, checked.code, checked.msg);
      return Promise.resolve();
    }
    const repeated = uuid ? this.ctx.store.findByUuid(uuid) : undefined;
    if (repeated) {
      sendJson(res, 200, { code: 0, msg: 'success', data: this.ctx.store.toApiItem(repeated, this.ctx.tenantKey) });
      return Promise.resolve();
    }
    const limited = this.ctx.sendLimit?.take(chatId);
    if (limited) {
      this.answerOverLimit(res, limited);
      return Promise.resolve();
    }
    const message = this.ctx.store.createFromBot({
      chatId,
      msgType: checked.msgType,
      content: checked.content,
      ...(uuid ? { uuid } : {}),
      ...(parent ? { replyTo: parent, replyInThread: body.reply_in_thread === true } : {}),
    });
    sendJson(res, 200, { code: 0, msg: 'success', data: this.ctx.store.toApiItem(message, this.ctx.tenantKey) });
    return Promise.resolve();
  }

  private async patch(req: IncomingMessage, res: ServerResponse, [messageId = '']: string[]): Promise<void> {
    if (this.rejectedByThrottle(res, 'patch')) return;
    const message = this.ctx.store.get(messageId);
    if (!message) {
      sendLarkError(res, 400, MESSAGE_INVALID, `invalid message_id: ${messageId} not found`);
      return;
    }
    if (message.msgType !== 'interactive' || message.sender.id !== this.ctx.appId) {
      sendLarkError(res, 400, MESSAGE_INVALID, 'only interactive messages sent by this app can be patched');
      return;
    }
    const body = parseJson(await readBody(req));
    const checked = validateContent('interactive', isRecord(body) ? body.content : undefined);
    if (!checked.ok) {
      sendLarkError(res, 400, checked.code, checked.msg);
      return;
    }
    const limited = this.ctx.updateLimit?.take(messageId);
    if (limited) {
      this.answerOverLimit(res, limited);
      return;
    }
    this.ctx.store.patch(message, checked.content);
    sendJson(res, 200, { code: 0, msg: 'success', data: {} });
  }

  private async react(req: IncomingMessage, res: ServerResponse, [messageId = '']: string[]): Promise<void> {
    if (this.rejectedByThrottle(res, 'reaction')) return;
    if (!this.ctx.store.get(messageId)) {
      sendLarkError(res, 400, 231003, `the message is not found: ${messageId}`);
      return;
    }
    const body = parseJson(await readBody(req));
    const reactionType = isRecord(body) && isRecord(body.reaction_type) ? body.reaction_type : undefined;
    const emojiType = reactionType?.emoji_type;
    if (typeof emojiType !== 'string' || !/^[A-Za-z0-9_]+$/.test(emojiType)) {
      sendLarkError(res, 400, 231001, 'reaction type is invalid');
      return;
    }
    const reaction = this.ctx.store.addReaction(messageId, emojiType);
    sendJson(res, 200, { code: 0, msg: 'success', data: this.reactionItem(reaction.reactionId, emojiType, reaction.at) });
  }

  private unreact(res: ServerResponse, [messageId = '', reactionId = '']: string[]): Promise<void> {
    const reaction = this.ctx.store.removeReaction(messageId, reactionId);
    if (!reaction) sendLarkError(res, 400, 231010, 'the reaction does not exist');
    else sendJson(res, 200, { code: 0, msg: 'success', data: this.reactionItem(reaction.reactionId, reaction.emojiType, reaction.at) });
    return Promise.resolve();
  }

  private reactionItem(reactionId: string, emojiType: string, at: number): Record<string, unknown> {
    return {
      reaction_id: reactionId,
      operator: { operator_id: this.ctx.appId, operator_type: 'app' },
      action_time: String(at),
      reaction_type: { emoji_type: emojiType },
    };
  }

  private list(res: ServerResponse, url: URL): Promise<void> {
    if (this.rejectedByThrottle(res, 'list')) return Promise.resolve();
    const params = url.searchParams;
    const chatId = params.get('container_id');
    const pageSize = Number(params.get('page_size') ?? '20');
    const sortType = params.get('sort_type') ?? 'ByCreateTimeAsc';
    const offset = decodePageToken(params.get('page_token'));
    const invalid =
      params.get('container_id_type') !== 'chat'
        ? 'container_id_type must be chat'
        : !chatId
          ? 'container_id is required'
          : !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50
            ? 'page_size must be 1..50'
            : sortType !== 'ByCreateTimeAsc' && sortType !== 'ByCreateTimeDesc'
              ? 'sort_type is invalid'
              : offset === undefined
                ? 'page_token is invalid'
                : undefined;
    if (invalid || !chatId || offset === undefined) {
      sendLarkError(res, 400, PARAM_INVALID, `field validation failed: ${invalid ?? 'bad request'}`);
      return Promise.resolve();
    }
    const start = params.get('start_time');
    const end = params.get('end_time');
    const page = this.ctx.store.list({
      chatId,
      ...(start ? { startTimeSeconds: Number(start) } : {}),
      ...(end ? { endTimeSeconds: Number(end) } : {}),
      descending: sortType === 'ByCreateTimeDesc',
      pageSize,
      offset,
    });
    const hasMore = page.nextOffset !== undefined;
    sendJson(res, 200, {
      code: 0,
      msg: 'success',
      data: {
        has_more: hasMore,
        ...(hasMore ? { page_token: encodePageToken(page.nextOffset ?? 0) } : {}),
        items: page.items.map((m) => this.ctx.store.toApiItem(m, this.ctx.tenantKey)),
      },
    });
    return Promise.resolve();
  }

  private getOne(res: ServerResponse, [messageId = '']: string[]): Promise<void> {
    const message = this.ctx.store.get(messageId);
    if (!message) sendLarkError(res, 400, MESSAGE_INVALID, `invalid message_id: ${messageId} not found`);
    else sendJson(res, 200, { code: 0, msg: 'success', data: { items: [this.ctx.store.toApiItem(message, this.ctx.tenantKey)] } });
    return Promise.resolve();
  }

  private rejectedByThrottle(res: ServerResponse, route: ThrottledRoute): boolean {
    if (this.ctx.throttle.takeDrop(route)) {
      res.socket?.destroy(); // a connection reset: the client gets no answer at all
      return true;
    }
    const answer = this.ctx.throttle.take(route);
    if (answer) sendLarkError(res, answer.status, answer.code, answer.msg, answer.headers);
    return answer !== undefined;
  }

  private answerOverLimit(res: ServerResponse, answer: LarkErrorAnswer): void {
    this.ctx.throttle.count += 1;
    sendLarkError(res, answer.status, answer.code, answer.msg, answer.headers);
  }
}

function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodePageToken(token: string | null): number | undefined {
  if (!token) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

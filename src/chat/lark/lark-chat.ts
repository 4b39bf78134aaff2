import { createHash } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import type { Localized } from '../../i18n';
import type { Card } from '../core/card';
import type { ChatLanguages } from '../core/chat-languages';
import type { ChatPort, PostOptions, PostedMessage, Reaction, UrgentChannel } from '../core/chat-port';
import { renderLarkCard } from '../core/card-json';
import { LarkApiError, callLark } from './lark-client';
import { SendQueue } from './send-queue';
import type { RetryAdvice } from './send-queue';

/** Lark emoji types (see Lark's "emojis introduce" list) for the progress marks we put on an alert. */
export const EMOJI_BY_REACTION: Record<Reaction, string> = {
  working: 'OnIt',
  done: 'DONE',
  failed: 'CrossMark',
  /** "+1": this alert adds to an incident already open. */
  duplicate: 'JIAYI',
  /** An active silence held this alert back. Lark has no muted bell 🔕; "do not disturb" is the closest. */
  silenced: 'GeneralDoNotDisturb',
};

export interface LarkChatOptions {
  client: lark.Client;
  logger: Logger;
  /** Share one queue between every LarkChat of a process so the per-chat limits hold across them. */
  queue?: SendQueue;
  /** Replies open (or join) a thread under the message instead of quoting it in the main chat. */
  replyInThread?: boolean;
  /** Hears sends and throttles of the queue this chat creates (metrics). */
  observer?: LarkSendObserver;
  /** Which language a chat's texts are sent in (cards carry every language). */
  languages: ChatLanguages;
}

export interface LarkSendObserver {
  settled(operation: 'send' | 'update', ok: boolean): void;
  throttled(operation: 'send' | 'update'): void;
}

/** Lanes are `chat:<id>` (new messages) and `card:<id>` (card patches). */
const operationOf = (lane: string): 'send' | 'update' => (lane.startsWith('card:') ? 'update' : 'send');

/** Working marks remembered so done/failed can take them down; bounded, as it only serves looks. */
const MAX_WORKING_MARKS = 5_000;

/**
 * Lark's `uuid` (≤ 50 chars) for an idempotent send: the same chat and key give the same uuid in every
 * process, so a send retried after a crash or restart returns the first message instead of a second one.
 */
export function larkMessageUuid(chatId: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${chatId}\n${idempotencyKey}`).digest('hex').slice(0, 40);
}

/** Text messages turn `<at user_id="all">` into a real mention; our text never means to ping anyone. */
function withoutMentions(text: string): string {
  return text.replace(/<at\b/gi, (match) => `${match[0]}\u200b${match.slice(1)}`);
}

interface MessageData {
  message_id?: string;
}

/**
 * Throttling is retried after Lark's reset time; a network failure or 5xx is retried with backoff when
 * repeating is safe: the send carries a uuid (Lark creates it once) or is a patch (same content again).
 */
function adviseLarkRetry(error: unknown, unsafeToRepeat: WeakSet<object>): RetryAdvice {
  if (!(error instanceof LarkApiError)) return { retry: false };
  if (error.throttled) return error.retryAfterMs !== undefined ? { retry: true, afterMs: error.retryAfterMs } : { retry: true };
  return { retry: error.transient && !unsafeToRepeat.has(error) };
}

export class LarkChat implements ChatPort {
  /** Failed sends without a uuid: repeating them could post the message twice. */
  private readonly unsafeToRepeat = new WeakSet<object>();
  private readonly queue: SendQueue;
  private readonly workingMarks = new Map<string, string>();

  constructor(private readonly options: LarkChatOptions) {
    this.queue =
      options.queue ??
      new SendQueue({
        adviseRetry: (error) => adviseLarkRetry(error, this.unsafeToRepeat),
        onRetry: ({ lane, attempt, delayMs, error }) => {
          options.observer?.throttled(operationOf(lane));
          options.logger.warn({ lane, attempt, delayMs, err: error }, 'Lark throttled a send; retrying');
        },
        onSettled: ({ lane, ok }) => options.observer?.settled(operationOf(lane), ok),
      });
  }

  /** Sends and updates waiting or in flight. */
  get queueDepth(): number {
    return this.queue.depth;
  }

  postCard(chatId: string, card: Localized<Card>, idempotencyKey: string, options?: PostOptions): Promise<PostedMessage> {
    return this.post(chatId, 'interactive', JSON.stringify(renderLarkCard(card, this.options.languages.peek(chatId))), idempotencyKey, options);
  }

  async postText(chatId: string, text: Localized<string>, idempotencyKey?: string, options?: PostOptions): Promise<PostedMessage> {
    const language = await this.options.languages.languageOf(chatId);
    return this.post(chatId, 'text', JSON.stringify({ text: withoutMentions(text[language]) }), idempotencyKey, options);
  }

  /** An update does not know its chat: the fallback text is the default language (readers see their own anyway). */
  async updateCard(messageId: string, card: Localized<Card>): Promise<void> {
    const content = JSON.stringify(renderLarkCard(card, this.options.languages.i18n.defaultLanguage));
    await this.queue.update(messageId, () =>
      callLark('update card', () => this.options.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content } })),
    );
  }

  /**
   * `PATCH /open-apis/im/v1/messages/:message_id/urgent_{app,sms,phone}`: Lark notifies these people of the
   * message until they read it. Ids Lark does not know come back in `invalid_user_id_list` and are logged.
   */
  async urgent(messageId: string, userIds: readonly string[], channel: UrgentChannel): Promise<void> {
    const { client, logger } = this.options;
    const payload = { path: { message_id: messageId }, params: { user_id_type: 'open_id' as const }, data: { user_id_list: [...userIds] } };
    const message = client.im.v1.message;
    const send = channel === 'sms' ? () => message.urgentSms(payload) : channel === 'phone' ? () => message.urgentPhone(payload) : () => message.urgentApp(payload);
    const data = await callLark(`urgent ${channel}`, send);
    if (data.invalid_user_id_list?.length) logger.warn({ messageId, channel, invalid: data.invalid_user_id_list }, 'Lark did not know some people sent urgent');
  }

  /** Best effort: a missing mark must never fail the step that set it, so failures are logged only. */
  async react(messageId: string, reaction: Reaction): Promise<void> {
    const { client, logger } = this.options;
    try {
      if (reaction === 'done' || reaction === 'failed') await this.takeDownWorkingMark(messageId);
      const data = await callLark('add reaction', () =>
        client.im.v1.messageReaction.create({
          path: { message_id: messageId },
          data: { reaction_type: { emoji_type: EMOJI_BY_REACTION[reaction] } },
        }),
      );
      if (reaction === 'working' && data.reaction_id) this.rememberWorkingMark(messageId, data.reaction_id);
    } catch (error) {
      logger.warn({ err: error, messageId, reaction }, 'could not react on a Lark message; carrying on');
    }
  }

  private async post(
    chatId: string,
    msgType: 'interactive' | 'text',
    content: string,
    idempotencyKey: string | undefined,
    options: PostOptions | undefined,
  ): Promise<PostedMessage> {
    const { client } = this.options;
    const uuid = idempotencyKey !== undefined ? { uuid: larkMessageUuid(chatId, idempotencyKey) } : {};
    const replyTo = options?.replyTo;
    const operation = replyTo ? 'reply to message' : 'send message'; // for developers: names the call in logs and errors
    const send = (): Promise<MessageData> =>
      replyTo
        ? callLark(operation, () =>
            client.im.v1.message.reply({
              path: { message_id: replyTo },
              data: { msg_type: msgType, content, reply_in_thread: this.options.replyInThread ?? true, ...uuid },
            }),
          )
        : callLark(operation, () =>
            client.im.v1.message.create({
              params: { receive_id_type: 'chat_id' },
              data: { receive_id: chatId, msg_type: msgType, content, ...uuid },
            }),
          );
    const data = await this.queue.send(chatId, () =>
      send().catch((error: unknown) => {
        if (idempotencyKey === undefined && typeof error === 'object' && error !== null) this.unsafeToRepeat.add(error);
        throw error;
      }),
    );
    if (!data.message_id) throw new LarkApiError({ operation, larkMsg: 'the answer carries no message_id', httpStatus: 200 });
    return { messageId: data.message_id };
  }

  private async takeDownWorkingMark(messageId: string): Promise<void> {
    const reactionId = this.workingMarks.get(messageId);
    if (!reactionId) return;
    this.workingMarks.delete(messageId);
    await callLark('remove reaction', () =>
      this.options.client.im.v1.messageReaction.delete({ path: { message_id: messageId, reaction_id: reactionId } }),
    ).catch((error: unknown) => this.options.logger.debug({ err: error, messageId }, 'could not remove the working mark'));
  }

  private rememberWorkingMark(messageId: string, reactionId: string): void {
    this.workingMarks.set(messageId, reactionId);
    if (this.workingMarks.size > MAX_WORKING_MARKS) {
      const oldest = this.workingMarks.keys().next().value;
      if (oldest !== undefined) this.workingMarks.delete(oldest);
    }
  }
}

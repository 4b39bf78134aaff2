import type { Logger } from 'pino';
import type { LockPort } from '../../locks/lock-port';
import { LockBusyError } from '../../locks/leased-lock';
import type { ChatCursor, InboundStore } from '../../store/inbound-store';
import type { ChatMessage } from '../core/chat-message';

export interface HistoryPage {
  items: ChatMessage[];
  hasMore: boolean;
  pageToken?: string;
}

export interface HistoryReaderOptions {
  chatIds: string[];
  /** One page of a chat's messages from `startTimeSeconds` on, oldest first (im.v1.message.list). */
  fetchPage(chatId: string, startTimeSeconds: number, pageToken?: string): Promise<HistoryPage>;
  /** Decides whether a bot's message should go to the alert detector. */
  isAlertSender(message: ChatMessage): boolean;
  /** The intake: persists what the message starts; must be idempotent per message id. */
  handle(message: ChatMessage): Promise<void>;
  inbound: InboundStore;
  locks: LockPort;
  logger: Logger;
  intervalMs: number;
  now?: () => number;
}

/**
 * Reads the alert chats' history for messages posted by monitoring bots, which Lark does not push to
 * apps as events. A persisted per-chat cursor (create time plus the ids already seen in its second,
 * since the API's start_time is in whole seconds) means nothing is missed or read twice across restarts.
 */
export class HistoryReader {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: HistoryReaderOptions) {}

  start(): void {
    const tick = () => {
      this.running = this.readAll().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.options.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass over every alert chat; a failing chat is logged and retried on the next pass. */
  async readAll(): Promise<number> {
    let handled = 0;
    for (const chatId of this.options.chatIds) {
      try {
        handled += await this.options.locks.withLock(`lark-history:${chatId}`, () => this.readChat(chatId));
      } catch (error) {
        // Another instance is reading this chat now: its claims cover what this pass would have read.
        if (error instanceof LockBusyError) continue;
        this.options.logger.error({ err: error, chatId }, 'reading chat history failed');
      }
    }
    return handled;
  }

  private async readChat(chatId: string): Promise<number> {
    const { inbound } = this.options;
    // A chat read for the first time starts now: alerts from before the bot existed are not replayed.
    let cursor = await inbound.cursor(chatId);
    if (!cursor) {
      cursor = { lastCreateTime: (this.options.now ?? Date.now)(), seenIds: [] };
      await inbound.saveCursor(chatId, cursor); // so alerts posted while the bot is down are read after it restarts
    }
    let handled = 0;
    let pageToken: string | undefined;
    do {
      const page = await this.options.fetchPage(chatId, Math.floor(cursor.lastCreateTime / 1000), pageToken);
      for (const message of page.items) {
        if (!advances(cursor, message)) continue;
        if (message.sender.kind === 'bot' && this.options.isAlertSender(message)) {
          await this.options.handle(message);
          handled++;
        }
        remember(cursor, message);
        await inbound.saveCursor(chatId, cursor);
      }
      pageToken = page.hasMore ? page.pageToken : undefined;
    } while (pageToken);
    return handled;
  }
}

/** Is the message newer than the cursor (and not one already seen in the cursor's second)? */
function advances(cursor: ChatCursor, message: ChatMessage): boolean {
  const second = Math.floor(cursor.lastCreateTime / 1000);
  const messageSecond = Math.floor(message.createTime / 1000);
  if (messageSecond < second) return false;
  return messageSecond > second || !cursor.seenIds.includes(message.messageId);
}

function remember(cursor: ChatCursor, message: ChatMessage): void {
  const sameSecond = Math.floor(message.createTime / 1000) === Math.floor(cursor.lastCreateTime / 1000);
  cursor.seenIds = sameSecond ? [...cursor.seenIds, message.messageId] : [message.messageId];
  cursor.lastCreateTime = Math.max(cursor.lastCreateTime, message.createTime);
}

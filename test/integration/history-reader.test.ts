import { pino } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HistoryReader } from '../../src/chat/lark/history-reader';
import type { HistoryPage } from '../../src/chat/lark/history-reader';
import type { ChatMessage } from '../../src/chat/core/chat-message';
import { MemoryLock } from '../../src/locks/memory-lock';
import { InboundStore } from '../../src/store/inbound-store';
import { migrate, openOrm } from '../../src/store/orm';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

const CHAT = 'oc_alerts';
const T0 = Date.parse('2026-11-25T10:00:00.250Z');

let db: TestDatabase;
let orm: MikroORM;
beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
  await migrate(orm);
});
afterAll(async () => {
  await orm.close();
  await db.drop();
});
beforeEach(async () => {
  await orm.em.fork().getConnection().execute('truncate chat_cursors, inbound_events');
});

/** A chat as the list API shows it: ascending, filtered by start_time in seconds, paged. */
class ChatHistory {
  readonly messages: ChatMessage[] = [];
  post(id: string, at: number, sender: ChatMessage['sender'] = { kind: 'bot', id: 'cli_monitor' }) {
    this.messages.push({ messageId: id, chatId: CHAT, msgType: 'text', content: { text: id }, sender, mentionsBot: false, createTime: at, text: id });
  }
  fetchPage = (_chat: string, startSeconds: number, token?: string): Promise<HistoryPage> => {
    const visible = this.messages.filter((m) => m.createTime >= startSeconds * 1000).sort((a, b) => a.createTime - b.createTime);
    const offset = token ? Number(token) : 0;
    const items = visible.slice(offset, offset + 2);
    const hasMore = offset + 2 < visible.length;
    return Promise.resolve({ items, hasMore, pageToken: hasMore ? String(offset + 2) : undefined });
  };
}

function reader(history: ChatHistory, handled: string[], now = T0) {
  return new HistoryReader({
    chatIds: [CHAT],
    fetchPage: history.fetchPage,
    isAlertSender: (m) => m.sender.id === 'cli_monitor',
    handle: (m) => {
      handled.push(m.messageId);
      return Promise.resolve();
    },
    inbound: new InboundStore(orm),
    locks: new MemoryLock(),
    logger: pino({ level: 'silent' }),
    intervalMs: 60_000,
    now: () => now,
  });
}

describe('reading alert chats through the message list API', () => {
  it('starts at the first read, takes each alert once across restarts and pages, and skips people and other bots', async () => {
    const history = new ChatHistory();
    history.post('before-the-bot', T0 - 60_000);
    const handled: string[] = [];
    expect(await reader(history, handled).readAll()).toBe(0);

    history.post('a1', T0 + 1_000);
    history.post('a2', T0 + 1_000); // same second as a1
    history.post('person', T0 + 1_500, { kind: 'user', id: 'ou_alice' });
    history.post('deploy-bot', T0 + 1_600, { kind: 'bot', id: 'cli_deploys' });
    history.post('a3', T0 + 2_000);
    expect(await reader(history, handled).readAll()).toBe(3);
    expect(handled).toEqual(['a1', 'a2', 'a3']);

    history.post('a4', T0 + 2_000); // lands in the second already read
    const afterRestart = reader(history, handled);
    expect(await afterRestart.readAll()).toBe(1);
    expect(await afterRestart.readAll()).toBe(0);
    expect(handled).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('does not miss alerts posted while the bot was down after its first read', async () => {
    const history = new ChatHistory();
    const handled: string[] = [];
    await reader(history, handled).readAll();
    history.post('while-down', T0 + 30_000);
    expect(await reader(history, handled, T0 + 60_000).readAll()).toBe(1);
    expect(handled).toEqual(['while-down']);
  });

  it('retries a chat whose intake failed without skipping the message', async () => {
    const history = new ChatHistory();
    const handled: string[] = [];
    await reader(history, handled).readAll();
    history.post('flaky', T0 + 5_000);
    let fail = true;
    const r = new HistoryReader({
      chatIds: [CHAT],
      fetchPage: history.fetchPage,
      isAlertSender: () => true,
      handle: (m) => {
        if (fail) return Promise.reject(new Error('database down'));
        handled.push(m.messageId);
        return Promise.resolve();
      },
      inbound: new InboundStore(orm),
      locks: new MemoryLock(),
      logger: pino({ level: 'silent' }),
      intervalMs: 60_000,
    });
    expect(await r.readAll()).toBe(0);
    fail = false;
    expect(await r.readAll()).toBe(1);
    expect(handled).toEqual(['flaky']);
  });
});

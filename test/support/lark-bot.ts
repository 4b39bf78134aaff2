import { startFakeLark } from '../fakes/lark';
import type { FakeLark } from '../fakes/lark';
import { BotProcess } from './bot-process';
import { createTestDatabase } from './database';
import { eventually } from './runtime-harness';

export interface LarkGroup {
  /** The group the bot reads alerts in. */
  chatId: string;
  /** The monitoring bot's app id (LARK_ALERT_SENDER_IDS). */
  monitor: string;
  /** Who may approve (APPROVER_IDS). */
  approver: string;
}

/**
 * The bot as a process on a fresh database, talking to a fake Lark over the long connection, reading
 * alerts in one group, once it has read the group's history the first time. Each cleanup is handed to `onCleanup` (last added runs first).
 */
export async function startBotInLarkGroup(group: LarkGroup, onCleanup: (cleanup: () => Promise<unknown>) => void): Promise<FakeLark> {
  const fake = await startFakeLark();
  onCleanup(() => fake.close());
  const database = await createTestDatabase();
  onCleanup(() => database.drop());
  const bot = await BotProcess.start({
    DATABASE_URL: database.url,
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_EVENT_MODE: 'ws',
    LARK_ALERT_CHAT_IDS: group.chatId,
    LARK_ALERT_SENDER_IDS: group.monitor,
    LARK_HISTORY_POLL_INTERVAL: '100ms',
    APPROVER_IDS: group.approver,
  });
  onCleanup(() => bot.kill());
  await fake.waitForClient();
  // The history reader starts from its first read: a bot message posted before it is old history, not news.
  await eventually(() => (fake.requests.some((r) => r.method === 'GET' && r.path === '/open-apis/im/v1/messages') ? true : undefined), 'the first history read', 30_000);
  return fake;
}

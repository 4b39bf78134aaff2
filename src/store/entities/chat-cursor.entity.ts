import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

/** How far the history reader has read a chat, so nothing is missed or read twice across restarts. */
export const ChatCursorRecord = defineEntity({
  name: 'ChatCursorRecord',
  tableName: 'chat_cursors',
  properties: {
    chatId: p.text().primary(),
    /** create_time (ms) of the newest message handled. */
    lastCreateTime: p.bigint('number'),
    /** Ids already handled that share that create_time's second (the list API's start_time is in seconds). */
    seenIds: p.json<string[]>(),
    updatedAt: p.datetime(),
  },
});
export type ChatCursorRecord = InferEntity<typeof ChatCursorRecord>;

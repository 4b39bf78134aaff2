import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

/**
 * An alert storm in one chat: more than STORM_THRESHOLD incidents opened there within STORM_WINDOW. Shared
 * by every instance: at most one storm per chat is going on (a partial unique index), and its one card's
 * message id is kept here once posted (posted with an idempotency key derived from the storm's id).
 */
export const StormRecord = defineEntity({
  name: 'StormRecord',
  tableName: 'storms',
  properties: {
    id: p.text().primary(),
    chatId: p.text(),
    startedAt: p.datetime(),
    /** Incidents that opened since then belong to it (the window that made it a storm). */
    windowStart: p.datetime(),
    /** The latest incident that joined; the storm ends STORM_WINDOW after it. */
    lastOpenedAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    cardMessageId: p.text().nullable(),
  },
  indexes: [
    {
      name: 'storms_going_on_chat_unique',
      expression: 'create unique index "storms_going_on_chat_unique" on "storms" ("chat_id") where "ended_at" is null',
    },
  ],
});
export type StormRecord = InferEntity<typeof StormRecord>;

/**
 * An incident that opened in a chat (merged repeats and noise never do), counted for storms; `stormId` once
 * it belongs to one. Rows older than the window and outside any storm are pruned.
 */
export const ChatOpeningRecord = defineEntity({
  name: 'ChatOpeningRecord',
  tableName: 'chat_openings',
  properties: {
    incidentId: p.text().primary(),
    chatId: p.text(),
    openedAt: p.datetime(),
    stormId: p.text().nullable(),
  },
  indexes: [
    { name: 'chat_openings_chat_idx', properties: ['chatId', 'openedAt'] },
    { name: 'chat_openings_storm_idx', properties: ['stormId'] },
  ],
});
export type ChatOpeningRecord = InferEntity<typeof ChatOpeningRecord>;

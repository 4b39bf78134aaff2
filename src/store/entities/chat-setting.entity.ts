import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

/** What a chat chose for itself (`/lang`): overrides the configured default for that chat only. */
export const ChatSettingRecord = defineEntity({
  name: 'ChatSettingRecord',
  tableName: 'chat_settings',
  properties: {
    chatId: p.text().primary(),
    /** zh-CN or en; null: the configured LANGUAGE. */
    language: p.text().nullable(),
    /** Who changed it last, and when (also in the audit log as the command's reply). */
    updatedBy: p.text(),
    updatedAt: p.datetime(),
  },
});
export type ChatSettingRecord = InferEntity<typeof ChatSettingRecord>;

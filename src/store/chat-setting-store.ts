import type { MikroORM } from '@mikro-orm/postgresql';
import { ChatSettingRecord } from './entities';

const SET_LANGUAGE = `
  insert into chat_settings (chat_id, language, updated_by, updated_at) values (?, ?, ?, now())
  on conflict (chat_id) do update set language = excluded.language, updated_by = excluded.updated_by, updated_at = now()`;

/** Settings a chat chose for itself; a chat that chose nothing has no row. */
export class ChatSettingStore {
  constructor(private readonly orm: MikroORM) {}

  async languageOf(chatId: string): Promise<string | undefined> {
    const row = await this.orm.em.fork().findOne(ChatSettingRecord, { chatId });
    return row?.language ?? undefined;
  }

  /** null: back to the configured default. */
  async setLanguage(chatId: string, language: string | null, by: string): Promise<void> {
    await this.orm.em.fork().getConnection().execute(SET_LANGUAGE, [chatId, language, by]);
  }
}

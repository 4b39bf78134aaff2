import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { startEmbeddedPostgres } from '../store/embedded-postgres';
import type { EmbeddedPostgres } from '../store/embedded-postgres';
import { closeOrm, migrate, openOrm } from '../store/orm';

export interface Storage {
  orm: MikroORM;
  /** PGlite under DATA_DIR when DATABASE_URL is unset. */
  embedded?: EmbeddedPostgres;
  /** Resolves when the database answers (readiness). */
  pingDatabase: () => Promise<void>;
  closeStorage(): Promise<void>;
}

/** DATABASE_URL, else the embedded database; migrated before anything reads it. */
export async function openStorage(config: Config, logger: Logger): Promise<Storage> {
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR);
  const databaseUrl = config.DATABASE_URL ?? embedded!.databaseUrl;
  const orm = await openOrm({ databaseUrl, poolSize: embedded?.maxConnections ?? 10, logger });
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  return {
    orm,
    embedded,
    pingDatabase: async () => void (await orm.em.fork().getConnection().execute('select 1')),
    async closeStorage() {
      await closeOrm(orm);
      await embedded?.close();
    },
  };
}

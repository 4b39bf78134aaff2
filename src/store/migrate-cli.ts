import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { startEmbeddedPostgres } from './embedded-postgres';
import { migrate, openOrm } from './orm';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL ?? 'info');
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR);
  const orm = await openOrm({ databaseUrl: config.DATABASE_URL ?? embedded!.databaseUrl, poolSize: 1, logger });
  try {
    const applied = await migrate(orm);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database is up to date');
  } finally {
    await orm.close();
    await embedded?.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Migrator } from '@mikro-orm/migrations';
import { MIGRATIONS } from '../../migrations';
import { ALL_ENTITIES } from './entities';

export interface OrmOptions {
  databaseUrl: string;
  /** PGlite serves a single connection; a real server takes a pool. */
  poolSize: number;
  logger?: Logger;
}

export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.databaseUrl,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolSize },
    discovery: { warnWhenNoEntities: true },
    allowGlobalContext: false,
    // snapshot: false — the migrator would otherwise write a schema snapshot file per database into migrations/.
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false },
    logger: (message) => options.logger?.debug({ orm: true }, message),
    debug: false,
  });
}

/** Applies pending migrations; safe to run at every start-up and from several instances at once. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

interface PoolStats {
  numUsed(): number;
  numPendingAcquires(): number;
}

/**
 * Closes the ORM once queries already under way have finished (bounded): a step stopped at shutdown may
 * still be awaiting one, and closing under it would leave it waiting the pool's full acquire timeout.
 */
export async function closeOrm(orm: MikroORM, graceMs = 5_000): Promise<void> {
  const pool = (orm.em.getConnection().getKnex().client as { pool?: PoolStats }).pool;
  const until = Date.now() + graceMs;
  while (pool && pool.numUsed() + pool.numPendingAcquires() > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await orm.close();
}

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

/** Any fixed number: the key of the advisory lock that lets one instance at a time migrate. */
const MIGRATION_LOCK_KEY = 7_314_551_002;

interface LockClient {
  query(sql: string, params: unknown[]): Promise<unknown>;
}

/**
 * Applies pending migrations; safe at every start-up and from several instances at once: they take
 * turns under a Postgres advisory lock held on a connection of its own, so the second finds nothing
 * left to do. A single-connection pool (embedded PGlite, one instance) has no one to take turns with.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const knex = orm.em.getConnection().getKnex();
  const poolMax = orm.config.get('pool')?.max ?? 1;
  if (poolMax < 2) return names(await orm.getMigrator().up());
  const client = knex.client as { acquireConnection(): Promise<LockClient>; releaseConnection(connection: LockClient): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return names(await orm.getMigrator().up());
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

function names(applied: { name: string }[]): string[] {
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

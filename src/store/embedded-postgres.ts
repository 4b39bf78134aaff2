import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  databaseUrl: string;
  /** PGlite is single-connection: the ORM pool must not exceed this. */
  maxConnections: number;
  close(): Promise<void>;
}

/**
 * The embedded default when DATABASE_URL is unset: PGlite (Postgres compiled to WASM, with pgvector)
 * served over the Postgres wire protocol on loopback, so the same driver, migrations and SQL run.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = join(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir, { extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  const address = server.getServerConn();
  return {
    databaseUrl: `postgres://postgres@${address}/postgres`,
    maxConnections: 1,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

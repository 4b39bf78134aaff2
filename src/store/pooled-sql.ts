import type { MikroORM } from '@mikro-orm/postgresql';

interface PgConnection {
  query(query: { text: string; values: readonly unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/**
 * Parameterised SQL straight through node-postgres on a connection of the ORM's own pool (never a second
 * pool: embedded PGlite serves one connection). The hot paths (every transition, every step) use it: the
 * ORM's query building and value formatting cost more Node CPU than the round trip they make.
 * `$n` placeholders; a jsonb value is passed as its JSON text. A `name` makes it a prepared statement: parsed
 * and planned once per connection, then only bound and run (the statements every transition makes).
 */
export async function pooledQuery<T>(orm: MikroORM, text: string, values: readonly unknown[], name?: string): Promise<T[]> {
  const client = orm.em.getConnection().getKnex().client as KnexClient;
  const connection = await client.acquireConnection();
  try {
    return (await connection.query({ text, values, ...(name && { name }) })).rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}

/** A jsonb parameter: SQL NULL for null/undefined (as the ORM writes them), else the JSON text. */
export function jsonb(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

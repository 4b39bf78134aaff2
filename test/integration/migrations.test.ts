import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations';
import { migrate, openOrm } from '../../src/store/orm';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

let db: TestDatabase;
let orm: MikroORM;
beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
});
afterAll(async () => {
  await orm.close();
  await db.drop();
});

describe('migrations', () => {
  it('create the schema the entities describe, pgvector and its HNSW index included, and run once', async () => {
    expect(await migrate(orm)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrate(orm)).toEqual([]);
    expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    const sql = orm.em.fork().getConnection();
    expect(await sql.execute(`select extname from pg_extension where extname = 'vector'`)).toHaveLength(1);
    const [index] = await sql.execute<{ indexdef: string }[]>(`select indexdef from pg_indexes where indexname = 'knowledge_embedding_hnsw'`);
    expect(index?.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
  });
});

describe('migrations from several instances at once', () => {
  it('take turns: every migration is applied exactly once and every instance starts on the full schema', async () => {
    const fresh = await createTestDatabase();
    const orms = await Promise.all([1, 2, 3].map(() => openOrm({ databaseUrl: fresh.url, poolSize: 3 })));
    try {
      const applied = await Promise.all(orms.map((o) => migrate(o)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      const rows = await orms[0]!.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from mikro_orm_migrations');
      expect(Number(rows[0]!.n)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(orms.map((o) => o.close()));
      await fresh.drop();
    }
  });
});

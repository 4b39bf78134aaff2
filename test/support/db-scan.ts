import type { MikroORM } from '@mikro-orm/postgresql';

const TEXT_COLUMNS = `table_schema = 'public' and data_type in ('text', 'character varying', 'character', 'json', 'jsonb')`;

/**
 * `table.column` of every text or JSON column in the public schema whose stored text contains
 * `needle`: what someone reading the database (or a dump of it) would find.
 */
export async function columnsContaining(orm: MikroORM, needle: string): Promise<string[]> {
  const connection = orm.em.fork().getConnection();
  const columns = await connection.execute<{ table_name: string; column_name: string }[]>(
    `select table_name, column_name from information_schema.columns where ${TEXT_COLUMNS} order by table_name, column_name`,
  );
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [row] = await connection.execute<{ n: number }[]>(`select count(*)::int as n from "${table}" where strpos("${column}"::text, ?) > 0`, [needle]);
    if ((row?.n ?? 0) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

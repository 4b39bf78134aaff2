import pg from 'pg';

/** Transactions as the server sees them: an explicit BEGIN…COMMIT, or one autocommit statement. */
export interface QueryCounts {
  statements: number;
  writeTransactions: number;
  readTransactions: number;
  rollbacks: number;
}

const WRITE = /^\s*(insert|update|delete|merge)\b/i;
/** A data-modifying CTE (`with updated as (update …) insert …`) writes too. */
const WRITING_CTE = /^\s*with\b[\s\S]*\b(insert|update|delete)\b/i;

/**
 * Counts what goes over node-postgres (which MikroORM's knex uses) while it runs, telling transactions
 * that write (and so wait for a WAL flush) from read-only ones. pg_stat_database cannot tell them apart.
 */
export async function countQueries(work: () => Promise<void>): Promise<QueryCounts> {
  const counts: QueryCounts = { statements: 0, writeTransactions: 0, readTransactions: 0, rollbacks: 0 };
  const open = new WeakMap<object, { wrote: boolean }>();
  const prototype = pg.Client.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'query');
  if (!descriptor) throw new Error('node-postgres has no Client.prototype.query to count.');
  const original = descriptor.value as (...args: unknown[]) => unknown;
  // Every argument passes through unchanged, whichever overload of query() the caller used.
  const counted = function (this: pg.Client, config: unknown, ...rest: unknown[]): unknown {
    classify(open, counts, this, textOf(config));
    return Reflect.apply(original, this, [config, ...rest]);
  };
  Object.defineProperty(prototype, 'query', { ...descriptor, value: counted });
  try {
    await work();
  } finally {
    Object.defineProperty(prototype, 'query', descriptor);
  }
  return counts;
}

function textOf(config: unknown): string {
  if (typeof config === 'string') return config;
  const text = (config as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}

function classify(open: WeakMap<object, { wrote: boolean }>, counts: QueryCounts, client: object, text: string): void {
  const keyword = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '';
  const transaction = open.get(client);
  if (keyword === 'begin' || keyword === 'start') return void open.set(client, { wrote: false });
  if (keyword === 'commit' && transaction) {
    open.delete(client);
    return void (transaction.wrote ? counts.writeTransactions++ : counts.readTransactions++);
  }
  if (keyword === 'rollback') {
    open.delete(client);
    return void counts.rollbacks++;
  }
  if (keyword === 'savepoint' || keyword === 'release') return;
  counts.statements++;
  const writes = WRITE.test(text) || WRITING_CTE.test(text);
  if (transaction) transaction.wrote ||= writes;
  else if (writes) counts.writeTransactions++;
  else counts.readTransactions++;
}

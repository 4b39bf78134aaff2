import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CachedDirectory, NamesRefusedError } from '../../src/chat/core/cached-directory';
import type { CachedDirectoryOptions, NameSource } from '../../src/chat/core/cached-directory';
import { idsInText, NO_NAMES } from '../../src/chat/core/people-directory';

const ALICE = 'ou_alice0000000000000000000001';
const BOB = 'ou_bob000000000000000000000001';
const NOBODY = 'ou_nobody000000000000000000001';
const OPS = 'oc_ops000000000000000000000001';

/** A name source that answers from a table, records what it was asked, and can refuse or fail. */
class TableSource implements NameSource {
  readonly label = 'test contacts';
  readonly asked: string[][] = [];
  answer: 'names' | 'refuse' | 'fail' = 'names';

  constructor(
    private readonly names: Record<string, string>,
    readonly batchSize = 50,
    private readonly prefix = 'ou_',
  ) {}

  accepts(id: string): boolean {
    return id.startsWith(this.prefix);
  }

  lookUp(ids: string[]): Promise<Map<string, string>> {
    this.asked.push(ids);
    if (this.answer === 'refuse') return Promise.reject(new NamesRefusedError('code 99991672, msg "Access denied"'));
    if (this.answer === 'fail') return Promise.reject(new Error('connection reset'));
    return Promise.resolve(new Map(ids.flatMap((id) => (this.names[id] ? [[id, this.names[id]] as const] : []))));
  }
}

function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

function directory(sources: NameSource[], options: Partial<CachedDirectoryOptions> = {}) {
  let now = 1_000_000;
  const { logger, lines } = recordingLogger();
  const cache = new CachedDirectory({ sources, logger, now: () => now, ...options });
  return { cache, lines, advance: (ms: number) => (now += ms) };
}

describe('the cached people directory', () => {
  it('asks once per id and answers again from the cache, unknown ids included', async () => {
    const source = new TableSource({ [ALICE]: 'Alice Chen', [BOB]: '王小明' });
    const { cache } = directory([source]);

    expect(await cache.namesOf([ALICE, BOB, NOBODY, ALICE])).toEqual(new Map([[ALICE, 'Alice Chen'], [BOB, '王小明']]));
    expect(await cache.namesOf([BOB, NOBODY])).toEqual(new Map([[BOB, '王小明']]));
    expect(source.asked).toEqual([[ALICE, BOB, NOBODY]]);
  });

  it('asks again once a name is older than its TTL', async () => {
    const source = new TableSource({ [ALICE]: 'Alice Chen' });
    const { cache, advance } = directory([source], { ttlMs: 60_000 });

    await cache.namesOf([ALICE]);
    advance(59_999);
    await cache.namesOf([ALICE]);
    expect(source.asked).toHaveLength(1);
    advance(1);
    expect(await cache.namesOf([ALICE])).toEqual(new Map([[ALICE, 'Alice Chen']]));
    expect(source.asked).toHaveLength(2);
  });

  it('keeps at most maxEntries names, dropping the least recently used', async () => {
    const names = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`ou_person${i}`, `Person ${i}`]));
    const source = new TableSource(names);
    const { cache } = directory([source], { maxEntries: 3 });

    await cache.namesOf(['ou_person0', 'ou_person1', 'ou_person2']);
    await cache.namesOf(['ou_person0']); // used again: person1 is now the oldest
    await cache.namesOf(['ou_person3']);
    expect(cache.size).toBe(3);
    source.asked.length = 0;
    await cache.namesOf(['ou_person0', 'ou_person2', 'ou_person3']);
    expect(source.asked).toEqual([]);
    await cache.namesOf(['ou_person1']);
    expect(source.asked).toEqual([['ou_person1']]);
  });

  it('remembers a refusal for a while and logs it once, never failing the caller', async () => {
    const source = new TableSource({ [ALICE]: 'Alice Chen' });
    source.answer = 'refuse';
    const { cache, lines, advance } = directory([source], { refusalMs: 600_000 });

    expect(await cache.namesOf([ALICE])).toEqual(new Map());
    expect(await cache.namesOf([ALICE, BOB])).toEqual(new Map());
    expect(source.asked).toHaveLength(1);

    advance(600_000);
    expect(await cache.namesOf([ALICE])).toEqual(new Map());
    expect(source.asked).toHaveLength(2);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/test contacts: the app may not read names/);

    // Granted meanwhile: the next ask after the refusal's memory brings names.
    source.answer = 'names';
    advance(600_000);
    expect(await cache.namesOf([ALICE])).toEqual(new Map([[ALICE, 'Alice Chen']]));
  });

  it('leaves a failing source alone briefly and caches nothing from the failure', async () => {
    const source = new TableSource({ [ALICE]: 'Alice Chen' });
    source.answer = 'fail';
    const { cache, advance } = directory([source], { failureMs: 30_000 });

    expect(await cache.namesOf([ALICE])).toEqual(new Map());
    await cache.namesOf([ALICE]);
    expect(source.asked).toHaveLength(1);
    source.answer = 'names';
    advance(30_000);
    expect(await cache.namesOf([ALICE])).toEqual(new Map([[ALICE, 'Alice Chen']]));
  });

  it('asks each source only for its ids, in batches of its size, and never for ids no source takes', async () => {
    const people = new TableSource({ [ALICE]: 'Alice Chen', [BOB]: 'Bob' }, 1);
    const groups = new TableSource({ [OPS]: 'SRE 值班群' }, 10, 'oc_');
    const { cache } = directory([people, groups]);

    const names = await cache.namesOf([ALICE, OPS, 'system', 'anthropic/claude', BOB]);
    expect(names).toEqual(new Map([[ALICE, 'Alice Chen'], [OPS, 'SRE 值班群'], [BOB, 'Bob']]));
    expect(people.asked).toEqual([[ALICE], [BOB]]);
    expect(groups.asked).toEqual([[OPS]]);
  });

  it('looks up at most maxIdsPerCall ids in one call', async () => {
    const source = new TableSource({});
    const { cache } = directory([source], { maxIdsPerCall: 2 });
    await cache.namesOf(['ou_a', 'ou_b', 'ou_c']);
    expect(source.asked).toEqual([['ou_a', 'ou_b']]);
  });

  it('without a chat, names nobody', async () => {
    expect(await NO_NAMES.namesOf([ALICE])).toEqual(new Map());
  });
});

describe('ids in a text', () => {
  it('finds open ids and chat ids once each, and nothing else', () => {
    const text = `operator: ${ALICE}, group ${OPS} until Mon 10:00, then ${BOB}; again ${ALICE}. Not: you_x, xou_y, ou_ alone`;
    expect(idsInText(text)).toEqual([ALICE, OPS, BOB]);
    expect(idsInText(`<at id=${ALICE}></at> <at id=${BOB}></at>`)).toEqual([ALICE, BOB]);
  });
});

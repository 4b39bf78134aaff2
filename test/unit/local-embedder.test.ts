import { describe, expect, it } from 'vitest';
import { extractFeatures, LocalEmbedder } from '../../src/memory/local-embedder';
import { EMBEDDING_DIMENSIONS } from '../../src/store/entities/knowledge.entity';

const embedder = new LocalEmbedder();
const cosine = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const similarity = (a: string, b: string): number => cosine(embedder.vector(a), embedder.vector(b));

const CRASHLOOP_A = 'KubePodCrashLooping: pod payments-api-7d9f8c6b5-x2k4q in namespace payments is restarting (CrashLoopBackOff)';
const CRASHLOOP_B = 'KubePodCrashLooping: pod payments-api-5c8d7b9f4-q7w2z in namespace payments is crash looping, back-off restarting failed container';
const IDLE_TX_A = 'PostgresIdleInTransaction: 12 sessions idle in transaction on orders-db for more than 5 minutes';
const IDLE_TX_B = 'Too many connections on orders-db: sessions idle in transaction holding locks';
const DISK = 'Disk usage above 90% on host web-01 (/var/lib/docker)';
const HEALTH = 'HTTP health check failing for checkout service: GET /healthz returned 503';

function features(text: string): string[] {
  const found: string[] = [];
  extractFeatures(text, (kind, feature) => found.push(`${kind}:${feature}`));
  return found;
}

describe('LocalEmbedder', () => {
  it('makes unit vectors of the knowledge table size, the same for the same text in any instance', async () => {
    const [a, b] = await embedder.embed([CRASHLOOP_A, CRASHLOOP_A]);
    const again = await new LocalEmbedder().embed([CRASHLOOP_A]);
    expect(a).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(embedder.dimensions).toBe(EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 10);
    expect(b).toEqual(a);
    expect(again[0]).toEqual(a);
  });

  it('puts rewordings of the same alert near each other and unrelated alerts far apart', () => {
    const sameProblem = [similarity(CRASHLOOP_A, CRASHLOOP_B), similarity(IDLE_TX_A, IDLE_TX_B)];
    const unrelated = [
      similarity(CRASHLOOP_A, IDLE_TX_A),
      similarity(CRASHLOOP_A, DISK),
      similarity(IDLE_TX_B, HEALTH),
      similarity(DISK, HEALTH),
      similarity(CRASHLOOP_B, HEALTH),
    ];
    for (const near of sameProblem) expect(near).toBeGreaterThan(0.5);
    for (const far of unrelated) expect(Math.abs(far)).toBeLessThan(0.25);
    expect(Math.min(...sameProblem) - Math.max(...unrelated)).toBeGreaterThan(0.3);
  });

  it('ignores case and the generated parts of names that differ between two occurrences', () => {
    const a = 'Pod payments-api-7d9f8c6b5-x2k4q OOMKilled at 2026-11-25T10:15:02Z (id 84731920)';
    const b = 'pod PAYMENTS-API-5c8d7b9f4-q7w2z oomkilled at 2026-11-26T22:01:44Z (id 11120398)';
    expect(similarity(a, b)).toBeCloseTo(1, 10);
  });

  it('keeps stable identifiers whole and as parts, and drops hash-like suffixes and long numbers', () => {
    const found = features('orders-db payments-api-7d9f8c6b5-x2k4q HTTP 503 after 1732520102');
    expect(found).toEqual(expect.arrayContaining(['compound:orders-db', 'word:orders', 'word:db', 'word:payments', 'word:api', 'word:503']));
    expect(found.join(' ')).not.toMatch(/7d9f8c6b5|x2k4q|1732520102|compound:payments-api/);
    expect(found).toEqual(expect.arrayContaining(['bigram:http 503', 'trigram:^or']));
  });

  it('compares Chinese alerts by characters and character pairs', () => {
    const near = similarity('磁盘空间不足 web-01', '磁盘使用率超过阈值 web-01');
    const far = similarity('磁盘空间不足 web-01', '数据库连接数过多');
    expect(near).toBeGreaterThan(0.3);
    expect(near - far).toBeGreaterThan(0.2);
  });

  it('gives empty or symbol-only text a unit vector, never zeros that cosine distance cannot use', () => {
    for (const text of ['', '  ', '!!! ---']) {
      const vector = embedder.vector(text);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    }
  });

  it('stops when its signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('step left'));
    await expect(embedder.embed(['x'], controller.signal)).rejects.toThrow('step left');
  });

  it('names itself by version and size, so vectors from another algorithm are recognised as stale', () => {
    expect(embedder.name).toBe('local-hash-v1-256');
    expect(new LocalEmbedder(64).vector('disk full')).toHaveLength(64);
  });
});

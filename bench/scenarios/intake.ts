import { pino } from 'pino';
import { createAlertIntake } from '../../src/intake/http-intake';
import { InboundStore } from '../../src/store/inbound-store';
import { createTestDatabase } from '../../test/support/database';
import { openBenchRuntime, settled } from '../bench-runtime';
import type { BenchRuntime } from '../bench-runtime';
import { benchAlert } from '../full-workflow';
import { countQueries } from '../query-counter';
import type { QueryCounts } from '../query-counter';
import { measureCpu, perSecond, runConcurrently, summarize } from '../stats';
import type { CpuUse, Summary } from '../stats';

export interface IntakeResult {
  alerts: number;
  concurrency: number;
  /** Alerts acknowledged (`/api/alerts` answered 202: claimed, persisted, queued or opened) per second. */
  perSecond: number;
  acknowledge: Summary;
  /** Alerts per second counting until every incident they opened had parked: the rate that can be sustained. */
  sustainedPerSecond: number;
  incidentsOpened: number;
  /** Opened in a race with the same fingerprint, then merged into the older incident by triage. */
  mergedByTriage: number;
  /** Repeats recorded on open incidents (`alert.repeated`). */
  repeatsRecorded: number;
  /** Incidents beyond the first per fingerprint that are not merged: must be 0. */
  duplicateIncidents: number;
  /** Per alert, until every incident it opened parked. */
  queriesPerAlert: QueryCounts;
  cpu: CpuUse;
}

/** Every fingerprint twice, in a shuffled (seeded, so repeatable) order: 50 % of the alerts are duplicates. */
function alertStream(count: number): string[] {
  const fingerprints = Array.from({ length: count }, (_, i) => `intake-${Math.floor(i / 2)}`);
  let seed = 0x2f6b_1d3a;
  const random = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b_3c6d) + 0x6d2b_79f5) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = fingerprints.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [fingerprints[i], fingerprints[j]] = [fingerprints[j]!, fingerprints[i]!];
  }
  return fingerprints;
}

const KEY = 'bench-intake-key';

/**
 * One alert per POST through the real `/api/alerts` handler (auth, parsing, the payload claim, the queue)
 * without the socket; the two copies of a fingerprint are different payloads, so the second is recorded
 * as a repeat on the first's incident.
 */
function request(fingerprint: string, copy: number) {
  const body = JSON.stringify({ ...benchAlert(fingerprint), labels: { copy: String(copy) } });
  return { rawBody: Buffer.from(body), headers: { authorization: `Bearer ${KEY}` }, url: new URL('http://bench/api/alerts') };
}

export async function measureIntake(alerts: number, concurrency: number): Promise<IntakeResult> {
  const db = await createTestDatabase('aifixer_bench');
  const bench = await openBenchRuntime(db.url);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const intake = createAlertIntake({ service: bench.runtime, inbound: new InboundStore(bench.orm), apiKeys: [KEY], chatId: 'bench', logger });
  try {
    const stream = alertStream(alerts);
    const copies = new Map<string, number>();
    const acknowledgeMs: number[] = [];
    let elapsedMs = NaN;
    const started = performance.now();
    const measured = await measureCpu(() =>
      countQueries(async () => {
        elapsedMs = await runConcurrently(stream.length, concurrency, async (i) => {
          const fingerprint = stream[i]!;
          const copy = (copies.get(fingerprint) ?? 0) + 1;
          copies.set(fingerprint, copy);
          const sent = performance.now();
          const answer = await intake.route.handle(request(fingerprint, copy));
          if (answer.status !== 202) throw new Error(`intake answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          acknowledgeMs.push(performance.now() - sent);
        });
        await intake.close(120_000);
        await settled(bench);
      }),
    );
    const settledMs = performance.now() - started;
    return {
      alerts,
      concurrency,
      perSecond: perSecond(alerts, elapsedMs),
      acknowledge: summarize(acknowledgeMs),
      sustainedPerSecond: perSecond(alerts, settledMs),
      queriesPerAlert: perAlert(measured.result, alerts),
      cpu: measured.cpu,
      ...(await deduplication(bench)),
    };
  } finally {
    await bench.close();
    await db.drop();
  }
}

function perAlert(counts: QueryCounts, alerts: number): QueryCounts {
  return {
    statements: counts.statements / alerts,
    writeTransactions: counts.writeTransactions / alerts,
    readTransactions: counts.readTransactions / alerts,
    rollbacks: counts.rollbacks / alerts,
  };
}

async function deduplication(bench: BenchRuntime) {
  const [row] = await bench.orm.em.fork().getConnection().execute<{ opened: string; merged: string; repeats: string; duplicates: string }[]>(
    `select count(*) as opened,
            count(*) filter (where state = 'merged') as merged,
            coalesce(sum((snapshot->'context'->>'repeats')::int), 0) as repeats,
            (select coalesce(sum(n - 1), 0) from (select count(*) as n from incidents where state <> 'merged' group by fingerprint) f) as duplicates
       from incidents`,
  );
  return {
    incidentsOpened: Number(row?.opened),
    mergedByTriage: Number(row?.merged),
    repeatsRecorded: Number(row?.repeats),
    duplicateIncidents: Number(row?.duplicates),
  };
}

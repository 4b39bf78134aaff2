/**
 * The fault-injection suite: `npm run chaos -- [--short | --long] [--seed N] [--keep]`.
 *
 * Several bot processes share one Postgres and one Redis (their own: scripts/chaos-services.sh, never
 * the shared 5432/6379 servers) and work through many incidents — alerts over POST /api/alerts, decisions
 * as console commands, through whichever instance answers — while instances are SIGKILLed, Postgres is
 * stopped and started, Redis is flushed and restarted, and the Lark and LLM fakes' connections drop.
 * Afterwards it checks the invariants (test/chaos/invariants.ts), prints its figures and every
 * violation, and exits 1 if there was one. The seed fixes every choice; replay a run with `--seed`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_TAKEOVERS } from '../../src/store/inbound-store';
import { Driver, planCases, targetNames } from './driver';
import type { Case } from './driver';
import { FaultLog } from './fault-log';
import { Chaos } from './faults';
import { checkInvariants, escalationReasons, gatherEvidence } from './invariants';
import { acquireRunLock, killLeftoverBots, recordBotPids } from './run-lock';
import { renderReport } from './report';
import { Prng } from './prng';
import { createRunDatabase, Db, dropStaleRunDatabases, shell } from './services';
import { PROFILES, servicesFromEnv } from './settings';
import type { Profile } from './settings';
import { Supervisor } from './supervisor';
import { View } from './view';
import { createWorld } from './world';

interface Args {
  profile: Profile;
  seed: number;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  let profile = PROFILES.short;
  let seed = Date.now() % 1_000_000;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--short') profile = PROFILES.short;
    else if (arg === '--long') profile = PROFILES.long;
    else if (arg === '--keep') keep = true;
    else if (arg === '--seed') seed = Number(argv[++i]);
    else if (arg?.startsWith('--seed=')) seed = Number(arg.slice('--seed='.length));
    else throw new Error(`unknown argument ${arg}; use --short, --long, --seed N, --keep`);
  }
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed takes a non-negative integer');
  return { profile, seed, keep };
}

const started = Date.now();
const log = new FaultLog();
const note = log.note;

async function main(): Promise<number> {
  const { profile, seed, keep } = parseArgs(process.argv.slice(2));
  const services = servicesFromEnv(process.env);
  const releaseLock = await acquireRunLock(services.postgresUrl, note);
  const cleanups: (() => Promise<unknown>)[] = [() => releaseLock()];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => note(`cleanup: ${String(error)}`));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    note(`chaos ${profile.name}, seed ${seed}: ${profile.instances} instances, ${profile.alerts} alerts, ${profile.chaosMs / 1000} s of faults`);
    await shell(services.ensureCommand, services);
    await dropStaleRunDatabases(services.postgresUrl);
    const prng = new Prng(seed);
    const cases = planCases(profile.alerts, prng.fork('cases'), `${seed}`);
    const logDir = await mkdtemp(join(tmpdir(), `aifixer-chaos-${seed}-`));
    let keepLogs = true;
    cleanups.push(() => (keepLogs ? Promise.resolve() : rm(logDir, { recursive: true, force: true })));
    const world = await createWorld({ dir: logDir, targetNames: targetNames(cases), prng: prng.fork('world'), restartDelayMs: 300 });
    cleanups.push(() => world.close());
    const database = await createRunDatabase(services.postgresUrl, seed);
    let dropDatabase = false; // kept unless the run ends and every invariant held
    cleanups.push(() => (dropDatabase ? database.drop() : Promise.resolve()));
    const db = new Db(database.url);
    cleanups.push(() => db.close());

    const common = {
      ...world.env,
      DATABASE_URL: database.url,
      REDIS_URL: services.redisUrl,
      LEASE_TTL: '3s',
      LEASE_WAIT: '4s',
      DEADLINE_SWEEP_INTERVAL: '300ms',
      VERIFY_INTERVAL: '200ms',
      VERIFY_ATTEMPTS: '5',
      DIAGNOSIS_APPROVAL_TIMEOUT: profile.diagnosisApprovalTimeout,
      PROPOSAL_APPROVAL_TIMEOUT: '30m',
      STEP_TIMEOUT: '45s',
      EXECUTION_TIMEOUT: '45s',
      SHUTDOWN_GRACE: '1s',
    };
    const specs = Array.from({ length: profile.instances }, (_, i) => ({
      name: `i${i}`,
      env: { ...common, ...(i >= profile.instances - profile.llmInstances ? world.llmEnv : {}) },
    }));
    await killLeftoverBots(services.postgresUrl, note);
    const supervisor = new Supervisor(specs, logDir, prng.fork('supervisor'), note, profile.minKillGapMs);
    supervisor.onSpawn = (pids) => recordBotPids(services.postgresUrl, pids);
    cleanups.push(() => supervisor.close());
    note(`logs in ${logDir}; database ${database.name}`);
    await supervisor.startAll();
    note('every instance serves; faults begin');

    const view = new View(db);
    view.start();
    cleanups.push(() => view.stop());
    const chaosUntil = Date.now() + profile.chaosMs;
    const settleUntil = chaosUntil + profile.settleMs;
    const chaos = new Chaos(supervisor, services, world, profile, prng.fork('chaos'), note);
    const driver = new Driver(supervisor, view, prng.fork('driver'), note, (instance, what) => chaos.onRequestSent(instance, what));
    const arrivals = prng.fork('arrivals');
    const people = cases.map(async (c: Case) => {
      await sleep((c.index / cases.length) * profile.chaosMs * 0.75 + arrivals.between(0, 500));
      await driver.handle(c, settleUntil);
    });
    await chaos.run(chaosUntil);
    note('faults over; waiting for the incidents to settle');
    await shell(services.ensureCommand, services); // whatever a fault left stopped is up again
    await supervisor.allUp(30_000);
    await Promise.all(people);
    await untilNothingActive(db, settleUntil);
    // A delivery acknowledged by an instance killed before finishing it is replayed once its claim goes stale.
    await untilNothingUnfinished(db, Math.max(settleUntil, Date.now()) + REPLAY_PATIENCE_MS);
    await sleep(2_000); // command replies and card updates run in the background
    const evidence = await gatherEvidence(db);
    const violations = checkInvariants(cases, evidence, world, (at) => log.near(at));
    dropDatabase = !keep && violations.length === 0;
    keepLogs = keep || violations.length > 0;
    await view.stop();
    process.stdout.write(
      renderReport({
        seed,
        profile: profile.name,
        seconds: Math.round((Date.now() - started) / 1000),
        incidents: evidence.incidents.length,
        cases,
        supervisor,
        faults: chaos.figures,
        world,
        violations,
        escalations: escalationReasons(evidence),
        logDir,
        database: database.url,
      }),
    );
    return violations.length === 0 ? 0 : 1;
  } finally {
    await cleanup();
  }
}

/** Waits (bounded) until no incident is mid-step. */
/** Stale claim (30 s) + replayer interval (10 s) + the replayed work. */
const REPLAY_PATIENCE_MS = 50_000;

/** Until no claim is left unfinished (and what replays started is done), or `until`. */
async function untilNothingUnfinished(db: Db, until: number): Promise<void> {
  while (Date.now() < until) {
    const [row] = await db.query<{ n: string }>(
      `select (select count(*) from inbound_events where done_at is null and replay is not null and takeovers < ${MAX_TAKEOVERS})
            + (select count(*) from incidents where status = 'active') as n`,
    );
    if (Number(row?.n) === 0) return;
    await sleep(1_000);
  }
}

async function untilNothingActive(db: Db, until: number): Promise<void> {
  while (Date.now() < until) {
    const [row] = await db.query<{ n: string }>(`select count(*) as n from incidents where status = 'active'`);
    if (Number(row?.n) === 0) return;
    await sleep(500);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);

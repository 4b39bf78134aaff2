/** What one chaos run does: its size, its faults, and where its own Postgres and Redis are. */

export interface Profile {
  name: 'short' | 'long';
  /** Bot processes sharing one database and one Redis. */
  instances: number;
  /** Of them, how many diagnose through the Anthropic fake (the others use the offline runbooks). */
  llmInstances: number;
  alerts: number;
  /** Faults are injected for this long; alerts arrive during its first 75 %. */
  chaosMs: number;
  /** After the faults stop: how long the incidents get to reach a resting state. */
  settleMs: number;
  /** Mean seconds between SIGKILLs on the timer (others come mid-request and mid-remediation). */
  killEverySeconds: number;
  /** No two kills closer than this, and never the last instance serving. */
  minKillGapMs: number;
  postgresRestarts: number;
  redisFlushes: number;
  redisRestarts: number;
  /** Windows in which the Lark and LLM proxies drop most connections. */
  dropBursts: number;
  /** Outside the bursts, the share of connections (and responses) the proxies cut. */
  backgroundDropRate: number;
  diagnosisApprovalTimeout: string;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  short: {
    name: 'short',
    instances: 3,
    llmInstances: 1,
    alerts: 18,
    chaosMs: 30_000,
    settleMs: 35_000,
    killEverySeconds: 6,
    minKillGapMs: 2_000,
    postgresRestarts: 1,
    redisFlushes: 1,
    redisRestarts: 1,
    dropBursts: 2,
    backgroundDropRate: 0.03,
    diagnosisApprovalTimeout: '12s',
  },
  long: {
    name: 'long',
    instances: 4,
    llmInstances: 1,
    alerts: 110,
    chaosMs: 180_000,
    settleMs: 60_000,
    killEverySeconds: 8,
    minKillGapMs: 3_000,
    postgresRestarts: 4,
    redisFlushes: 3,
    redisRestarts: 3,
    dropBursts: 8,
    backgroundDropRate: 0.03,
    diagnosisApprovalTimeout: '15s',
  },
};

export interface Services {
  /** A database on this server is created for each run (never the shared 5432 server). */
  postgresUrl: string;
  redisUrl: string;
  /** Shell commands; the defaults drive scripts/chaos-services.sh. */
  ensureCommand: string;
  postgresStopCommand: (mode: 'fast' | 'immediate') => string;
  postgresStartCommand: string;
  redisStopCommand: string;
  redisStartCommand: string;
}

const SCRIPT = 'bash scripts/chaos-services.sh';

/**
 * CHAOS_DATABASE_URL (default postgres://postgres@127.0.0.1:5434/postgres), CHAOS_REDIS_URL
 * (redis://127.0.0.1:6380), and the commands CHAOS_SERVICES_UP, CHAOS_PG_STOP (`{mode}` is replaced
 * by fast or immediate), CHAOS_PG_START, CHAOS_REDIS_STOP, CHAOS_REDIS_START.
 */
export function servicesFromEnv(env: NodeJS.ProcessEnv): Services {
  const postgresUrl = env.CHAOS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5434/postgres';
  const redisUrl = env.CHAOS_REDIS_URL ?? 'redis://127.0.0.1:6380';
  for (const [name, url, shared] of [['CHAOS_DATABASE_URL', postgresUrl, '5432'], ['CHAOS_REDIS_URL', redisUrl, '6379']] as const) {
    const port = new URL(url).port;
    if (port === shared || port === '') {
      throw new Error(`${name}=${url}: the chaos suite restarts this server; point it at one of its own (not port ${shared}, the shared one).`);
    }
  }
  const pgStop = env.CHAOS_PG_STOP ?? `${SCRIPT} stop-postgres {mode}`;
  return {
    postgresUrl,
    redisUrl,
    ensureCommand: env.CHAOS_SERVICES_UP ?? `${SCRIPT} up`,
    postgresStopCommand: (mode) => pgStop.replaceAll('{mode}', mode),
    postgresStartCommand: env.CHAOS_PG_START ?? `${SCRIPT} start-postgres`,
    redisStopCommand: env.CHAOS_REDIS_STOP ?? `${SCRIPT} stop-redis`,
    redisStartCommand: env.CHAOS_REDIS_START ?? `${SCRIPT} start-redis`,
  };
}

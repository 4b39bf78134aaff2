import type { Metrics } from './metrics';

/** As long as /readyz gives one check. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * What `/readyz` checks beside the database: Redis when REDIS_URL is set (the leases' connection: the
 * one the bot depends on), and the chat connection when it can be down (Lark). The web console needs no
 * connection: it is ready whenever the server answers.
 */
export function readinessChecks(options: { redis?: { ping(): Promise<unknown> }; chat?: () => Promise<void> }): Record<string, () => Promise<void>> {
  const { redis, chat } = options;
  const checks: Record<string, () => Promise<void>> = {};
  if (redis) checks.redis = async () => void (await redis.ping());
  if (chat) checks.chat = chat;
  return checks;
}

/**
 * `aifixer_ready{check}`: 1 while that readiness check passes, 0 while it fails or does not answer in
 * 3 s, run on each scrape. Alerting needs it as a series: a pod that is not ready keeps being scraped
 * but its /readyz answer is seen only by the kubelet.
 */
export function registerReadinessGauge(metrics: Metrics, checks: Record<string, () => Promise<void>>): void {
  const help = '1 while this /readyz check (database, redis, chat) passes, 0 while it fails; run on each scrape.';
  metrics.gaugeRows('aifixer_ready', help, ['check'], () =>
    Promise.all(Object.entries(checks).map(async ([check, run]) => ({ labels: { check }, value: (await passes(run)) ? 1 : 0 }))),
  );
}

async function passes(check: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

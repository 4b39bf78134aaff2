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

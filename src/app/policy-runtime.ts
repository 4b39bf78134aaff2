import type { Logger } from 'pino';
import type { Config } from '../config';
import type { I18n } from '../i18n';
import { createRedisClient } from '../locks/redis-client';
import type { PluginRegistry } from '../plugins/registry';
import type { Targets } from '../plugins/targets';
import { accessFrom, builtinPolicy, ExecutionPolicy, PolicySource } from '../policy';
import type { DecisionAccess } from '../policy';
import { RedisUsage } from '../policy/redis-usage';
import { MemoryUsage } from '../policy/usage';

export interface PolicyRuntime {
  policy: ExecutionPolicy;
  /** For the chat: who may decide what, under the policy in force. */
  access: DecisionAccess;
  source: PolicySource;
  close(): Promise<void>;
}

/** The policy from the environment: POLICY_FILE (watched) or the built-in one; usage in Redis when REDIS_URL is set. */
export async function createPolicyRuntime(config: Config, deps: { plugins: PluginRegistry; targets: Targets; logger: Logger; i18n: I18n }): Promise<PolicyRuntime> {
  const { logger } = deps;
  const builtin = builtinPolicy({ autoExecuteLowRisk: config.AUTO_EXECUTE_LOW_RISK, approverIds: config.APPROVER_IDS, dryRun: config.DRY_RUN });
  const source = await PolicySource.open({ file: config.POLICY_FILE, builtin, forceDryRun: config.DRY_RUN, logger });
  if (config.POLICY_FILE && config.APPROVER_IDS.length) logger.warn('APPROVER_IDS is ignored: the roles in POLICY_FILE say who approves');
  source.watch();
  const usage = config.REDIS_URL ? new RedisUsage(createRedisClient(config.REDIS_URL, logger)) : new MemoryUsage();
  const rules = () => source.current();
  return {
    // Decisions' reasons are written in every language, their times in TIMEZONE.
    policy: new ExecutionPolicy({ plugins: deps.plugins, targets: deps.targets, rules, usage, logger, i18n: deps.i18n }),
    access: accessFrom(rules),
    source,
    async close() {
      source.close();
      await usage.close();
    },
  };
}

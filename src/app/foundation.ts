import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AlertTemplate } from '../chat/core/alert-detector';
import { loadAlertTemplates } from '../chat/core/alert-detector/alert-templates';
import type { PluginSummary } from '../chat/core/commands';
import type { Config } from '../config';
import type { LockPort } from '../locks/lock-port';
import { LeasedLock } from '../locks/leased-lock';
import { MemoryLock } from '../locks/memory-lock';
import { createRedisClient } from '../locks/redis-client';
import { RedisLeases } from '../locks/redis-leases';
import { Metrics } from '../observability/metrics';
import { ObservedLocks } from '../observability/observed-locks';
import { createRegistry } from '../plugins/discovery';
import { loadTargets } from '../plugins/load-targets';
import type { PluginRegistry } from '../plugins/registry';
import type { Targets } from '../plugins/targets';
import { secretsIn } from '../security';
import type { SecretScrubber } from '../security';
import { createCipher } from '../security/create-cipher';
import type { DataCipher } from '../security/encryption';
import { InboundStore } from '../store/inbound-store';
import { openStorage } from './storage';
import type { Storage } from './storage';

/** What every part of the app stands on: storage, metrics, secrets, targets, plugins, locks. */
export interface Foundation extends Storage {
  metrics: Metrics;
  scrubber: SecretScrubber;
  cipher: DataCipher;
  targets: Targets;
  plugins: PluginRegistry;
  /** What /plugins and the console list: the registered plugins and the files that failed to load. */
  listPlugins: () => PluginSummary[];
  brokenPlugins: number;
  /** ALERT_TEMPLATES_FILE, read once for every chat's AlertDetector. */
  alertTemplates: AlertTemplate[];
  inboundStore: InboundStore;
  /** REDIS_URL's connection: leases, the live feed and the model's shared rate. */
  redis?: Redis;
  leases?: RedisLeases;
  /** One writer per incident in this process. */
  locks: LockPort;
  /** One alert group or storm at a time, across instances with Redis: waits up to LEASE_WAIT for the holder. */
  groupLocks: LockPort;
  /** Work one instance at a time does (reading a chat's history, recording deferred repeats): no waiting. */
  clusterLocks: LockPort;
}

export async function layFoundation(config: Config, logger: Logger, scrubber: SecretScrubber): Promise<Foundation> {
  const storage = await openStorage(config, logger);
  const metrics = new Metrics();
  const cipher = createCipher(config, logger);
  const targets = await loadTargets(config.TARGETS_FILE, config.env);
  // Secrets the targets reference (tokens, passwords in URLs) are redacted wherever they would show.
  scrubber.addSecrets(secretsIn(targets));
  const { registry: plugins, broken } = await createRegistry({ pluginsDir: config.PLUGINS_DIR, logger });
  const redis = config.REDIS_URL ? createRedisClient(config.REDIS_URL, logger) : undefined;
  // Several instances share incidents through leases in Redis; one instance keeps them in memory.
  const leases = redis ? new RedisLeases(redis, { ttlMs: config.LEASE_TTL, logger }) : undefined;
  const locks = new ObservedLocks(new MemoryLock(), metrics);
  const leased = (waitMs: number) => (leases ? new ObservedLocks(new LeasedLock(leases, waitMs), metrics) : locks);
  return {
    ...storage,
    metrics,
    scrubber,
    cipher,
    targets,
    plugins,
    listPlugins: () => [...plugins.list(), ...broken.map((b) => ({ id: b.file, category: 'broken', risk: '-', description: b.error }))],
    brokenPlugins: broken.length,
    alertTemplates: await loadAlertTemplates(config.ALERT_TEMPLATES_FILE),
    inboundStore: new InboundStore(storage.orm, cipher),
    redis,
    leases,
    locks,
    groupLocks: leased(config.LEASE_WAIT),
    clusterLocks: leased(0),
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config';
import { loadTargets } from '../../src/plugins/load-targets';
import { readPolicyFile } from '../../src/policy/load-policy';
import { readmeVariables, ROOT } from './deploy-support';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  deploy?: { replicas?: number };
  environment?: Record<string, string | null>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  healthcheck?: { test: string[] };
}

const DEPLOY = join(ROOT, 'deploy');
const compose = parse(readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const bot = compose.services.bot!;

/** `${NAME:-default}` → default (what the bot gets when deploy/.env leaves NAME unset). */
const defaultOf = (value: string | null | undefined) => /^\$\{[A-Z_]+:-(.*)\}$/.exec(value ?? '')?.[1];

describe('deploy/compose.yaml', () => {
  it('passes every variable of the README configuration table to the bot', () => {
    const environment = bot.environment ?? {};
    const missing = readmeVariables().filter((name) => !(name in environment));
    expect(missing).toEqual([]);
    // A bare name is passed only when set (unset stays unset, so the default applies); a set value must be overridable.
    for (const [name, value] of Object.entries(environment)) {
      if (value !== null) expect(value, name).toMatch(new RegExp(`^\\$\\{${name}:-`));
    }
  });

  it('runs two bot replicas from this repository’s image, migrations first, next to pgvector Postgres and Redis', () => {
    expect(bot.build).toEqual({ context: '..', dockerfile: 'Dockerfile' });
    expect(bot.deploy?.replicas).toBe(2);
    expect(bot.command).toEqual(['start']);
    expect(bot.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(compose.services.postgres?.image).toMatch(/pgvector/);
    expect(compose.services.postgres?.healthcheck).toBeDefined();
    expect(compose.services.redis?.healthcheck).toBeDefined();
    expect(defaultOf(bot.environment?.DATABASE_URL)).toMatch(/@postgres:5432\//);
    expect(defaultOf(bot.environment?.REDIS_URL)).toMatch(/^redis:\/\/redis:6379/);
  });

  it('stops the bot later than its own shutdown timeout', () => {
    const stop = ConfigSchema.shape.SHUTDOWN_TIMEOUT.parse(bot.stop_grace_period);
    expect(stop).toBeGreaterThan(ConfigSchema.shape.SHUTDOWN_TIMEOUT.parse(undefined));
  });

  it('mounts targets and policy where the bot looks, in forms its loaders accept', async () => {
    const [hostDir, containerDir] = (bot.volumes ?? [])[0]!.split(':');
    const onHost = (file: string | undefined) => {
      expect(file?.startsWith(`${containerDir}/`), file).toBe(true);
      return join(DEPLOY, hostDir!, file!.slice(containerDir!.length + 1));
    };
    await expect(loadTargets(onHost(defaultOf(bot.environment?.TARGETS_FILE)), {})).resolves.toBeDefined();
    await expect(readPolicyFile(onHost(defaultOf(bot.environment?.POLICY_FILE)))).resolves.toBeDefined();
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BUILTIN_PLUGINS_DIR, createRegistry, discoverPlugins } from '../../src/plugins/discovery';
import { loadTargets } from '../../src/plugins/load-targets';
import { blastRadiusOf, definePlugin } from '../../src/plugins/plugin';
import type { PluginCategory, PluginResult } from '../../src/plugins/plugin';
import { PluginRunner } from '../../src/plugins/plugin-runner';
import { checkPluginSpec } from '../../src/plugins/registry';
import { runRollback, runVerify } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';

const logger = pino({ level: 'silent' });
const fixtures = fileURLToPath(new URL('../fixtures/plugins', import.meta.url));
const extraDir = join(fixtures, 'extra');
const brokenDir = join(fixtures, 'broken');
const targets = TargetsSchema.parse({});

describe('plugin discovery', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ai-fixer-plugins-'));
    // Cannot be a checked-in fixture: tsc and eslint would reject it before the test ran.
    await writeFile(join(scratch, 'syntax-error.ts'), 'export default definePlugin({ id: "fixture.syntax", \n');
    // Not plugins: discovery must not import them (they would each be reported if it did).
    await writeFile(join(scratch, 'types.d.ts'), 'export declare const notAPlugin: number;\n');
    await writeFile(join(scratch, 'probe.test.ts'), 'throw new Error("test files are not plugins");\n');
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('loads the built-ins without reporting any of them broken', async () => {
    const { plugins, broken } = await discoverPlugins([BUILTIN_PLUGINS_DIR], logger);
    const ids = plugins.map((plugin) => plugin.id);
    expect(ids).toEqual(expect.arrayContaining(['http.probe', 'http.call']));
    expect(broken, 'every shipped plugin must load').toEqual([]);
  });

  it('adds PLUGINS_DIR after the built-ins, searching nested directories and skipping _helpers', async () => {
    const { registry, broken } = await createRegistry({ pluginsDir: extraDir, logger });
    const ids = registry.list().map((plugin) => plugin.id);
    expect(ids.slice(-2)).toEqual(['fixture.echo', 'fixture.noop']);
    expect(ids.indexOf('http.probe')).toBeLessThan(ids.indexOf('fixture.echo'));
    expect(broken).toEqual([]);
    expect(registry.get('fixture.noop')).toMatchObject({ version: 2, blastRadius: 'single' });
  });

  it('stops the boot, saying why, when PLUGINS_DIR is missing', async () => {
    const missing = join(scratch, 'nowhere');
    await expect(createRegistry({ pluginsDir: missing, logger })).rejects.toThrow(`PLUGINS_DIR ${missing} does not exist`);
  });

  it('reports each broken plugin with its file and the reason, and loads the rest', async () => {
    const { plugins, broken } = await discoverPlugins([BUILTIN_PLUGINS_DIR, brokenDir, scratch], logger);
    const ids = plugins.map((plugin) => plugin.id);
    expect(ids).toEqual(expect.arrayContaining(['http.probe', 'http.call', 'fixture.survivor']));
    expect(plugins.find((plugin) => plugin.id === 'http.probe')?.version).toBe(1);

    const reasons = Object.fromEntries(
      broken.filter(({ file }) => !file.startsWith(BUILTIN_PLUGINS_DIR)).map(({ file, error }) => [basename(file), error]),
    );
    expect(Object.keys(reasons).sort()).toEqual([
      'duplicate-id.ts',
      'invalid-spec.ts',
      'no-default-export.ts',
      'syntax-error.ts',
      'throws-on-import.ts',
    ]);
    expect(reasons['duplicate-id.ts']).toMatch(/Duplicate plugin id "http\.probe", already loaded from .*http-probe\.ts/);
    expect(reasons['invalid-spec.ts']).toContain('Invalid plugin "fixture.invalid"');
    expect(reasons['invalid-spec.ts']).toContain("A diagnostic must be 'read-only', not 'high'");
    expect(reasons['invalid-spec.ts']).toContain('timeoutMs');
    expect(reasons['no-default-export.ts']).toContain('No default export');
    expect(reasons['syntax-error.ts']).toMatch(/^Failed to import: /);
    expect(reasons['throws-on-import.ts']).toBe('Failed to import: fixture: connection refused while importing');
  });
});

describe('plugin spec', () => {
  const remediation = definePlugin({
    id: 'test.fix',
    version: 1,
    category: 'remediation',
    risk: 'low',
    description: 'A fix.',
    summary: () => 'Fix',
    args: z.object({}).strict(),
    timeoutMs: 100,
    idempotent: true,
    run: () => Promise.resolve({ status: 'success', summary: 'fixed' }),
  });

  it('checks blast radius against the category, requires it of remediation, and assumes the widest for untyped callers', () => {
    const missing = checkPluginSpec(remediation);
    expect(missing.ok ? 'accepted' : missing.problem).toContain('must say how far it reaches');
    const noRadius = checkPluginSpec({ ...remediation, blastRadius: 'none' });
    expect(noRadius.ok ? 'accepted' : noRadius.problem).toContain("its blast radius cannot be 'none'");
    expect(checkPluginSpec({ ...remediation, blastRadius: 'galaxy' })).toMatchObject({ ok: false });
    expect(checkPluginSpec({ ...remediation, category: 'diagnostic', risk: 'read-only', blastRadius: 'service' })).toMatchObject({ ok: false });
    expect(checkPluginSpec({ ...remediation, blastRadius: 'service' })).toMatchObject({ ok: true });
    expect(blastRadiusOf(remediation)).toBe('cluster');
    expect(blastRadiusOf({ ...remediation, blastRadius: 'single' })).toBe('single');
    expect(blastRadiusOf({ category: 'diagnostic' })).toBe('none');
  });

  it('runs rollback and verify under the same rules as run, and says when a plugin has none', async () => {
    const { registry } = await createRegistry({ pluginsDir: extraDir, logger });
    const noop = registry.get('fixture.noop');
    if (!noop) throw new Error('fixture.noop not loaded');
    const ctx = { signal: new AbortController().signal, logger, targets };
    const done: PluginResult = { status: 'success', summary: 'nothing done' };
    expect(await runRollback(noop, {}, done, ctx)).toMatchObject({ status: 'success', summary: 'nothing undone' });
    expect(await runVerify(noop, {}, done, ctx)).toMatchObject({ status: 'success', summary: 'still nothing' });
    expect(await runVerify(noop, { extra: 1 }, done, ctx)).toMatchObject({ status: 'error' });
    expect(runRollback(remediation, {}, done, ctx)).toBeUndefined();
  });
});

/** A plugin that counts its runs; each run waits until the test answers it. */
function countedPlugin(category: PluginCategory, timeoutMs = 1_000) {
  const runs: { signal: AbortSignal; answer: (result: PluginResult) => void }[] = [];
  const plugin = definePlugin({
    id: `test.${category}`,
    version: 1,
    category,
    risk: category === 'diagnostic' ? 'read-only' : 'low',
    blastRadius: category === 'diagnostic' ? 'none' : 'single',
    description: 'Counts its runs.',
    summary: (args) => `Count ${args.target}`,
    args: z.object({ target: z.string(), limit: z.number().default(10) }).strict(),
    timeoutMs,
    idempotent: true,
    run: (_args, ctx) => new Promise<PluginResult>((answer) => runs.push({ signal: ctx.signal, answer })),
  });
  /** Lets pending calls reach the plugin before the test looks. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const answerAll = async (result: PluginResult = { status: 'success', summary: 'ok' }) => {
    await settle();
    for (const run of runs) run.answer(result);
  };
  return { plugin, runs, answerAll, settle };
}

describe('PluginRunner', () => {
  const never = () => new AbortController().signal;
  const createRunner = (options: { cacheTtlMs?: number; maxEntries?: number } = {}) => {
    const clock = { now: 0 };
    const runner = new PluginRunner({ targets, logger, cacheTtlMs: 1_000, ...options, clock: () => clock.now });
    return { runner, clock };
  };

  it('shares one run between identical concurrent diagnostic calls, whatever the key order', async () => {
    const { runner } = createRunner();
    const { plugin, runs, answerAll } = countedPlugin('diagnostic');
    const first = runner.run(plugin, { target: 'db', limit: 5 }, never());
    const second = runner.run(plugin, { limit: 5, target: 'db' }, never());
    await answerAll({ status: 'success', summary: 'ok', data: { rows: 3 } });
    expect(await first).toMatchObject({ status: 'success', data: { rows: 3 } });
    expect(await second).toEqual(await first);
    expect(runs).toHaveLength(1);
    expect(runner.stats()).toEqual({ hits: 1, misses: 1, entries: 1 });
  });

  it('reuses a result within the TTL (defaults count as given) and runs again after it', async () => {
    const { runner, clock } = createRunner();
    const { plugin, runs, answerAll } = countedPlugin('diagnostic');
    const first = runner.run(plugin, { target: 'db' }, never());
    await answerAll();
    await first;
    clock.now = 999;
    expect((await runner.run(plugin, { target: 'db', limit: 10 }, never())).status).toBe('success');
    expect(runs).toHaveLength(1);
    clock.now = 1_000;
    const third = runner.run(plugin, { target: 'db' }, never());
    await answerAll();
    await third;
    expect(runs).toHaveLength(2);
    expect(runner.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('runs separately for different args, for fresh calls and for remediation', async () => {
    const { runner } = createRunner();
    const diagnostic = countedPlugin('diagnostic');
    const remediation = countedPlugin('remediation');
    const calls = [
      runner.run(diagnostic.plugin, { target: 'db' }, never()),
      runner.run(diagnostic.plugin, { target: 'cache' }, never()),
      runner.run(diagnostic.plugin, { target: 'db' }, never(), { fresh: true }),
      runner.run(remediation.plugin, { target: 'db' }, never()),
      runner.run(remediation.plugin, { target: 'db' }, never()),
    ];
    await diagnostic.answerAll();
    await remediation.answerAll();
    await Promise.all(calls);
    expect(diagnostic.runs).toHaveLength(3);
    expect(remediation.runs).toHaveLength(2);
    expect(runner.stats()).toMatchObject({ hits: 0, misses: 2 });
  });

  it('shares an error while it is in flight but does not keep it', async () => {
    const { runner } = createRunner();
    const { plugin, runs, answerAll } = countedPlugin('diagnostic');
    const failing = [runner.run(plugin, { target: 'db' }, never()), runner.run(plugin, { target: 'db' }, never())];
    await answerAll({ status: 'error', summary: 'connection refused' });
    expect((await Promise.all(failing)).map((result) => result.status)).toEqual(['error', 'error']);
    expect(runs).toHaveLength(1);
    const retry = runner.run(plugin, { target: 'db' }, never());
    await answerAll();
    expect((await retry).status).toBe('success');
    expect(runs).toHaveLength(2);
  });

  it('answers a timeout as an error result, and does not keep it', async () => {
    const { runner } = createRunner();
    const { plugin, runs } = countedPlugin('diagnostic', 50);
    const result = await runner.run(plugin, { target: 'db' }, never());
    expect(result).toMatchObject({ status: 'error', summary: 'test.diagnostic timed out after 50 ms' });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(40);
    expect(runs[0]?.signal.aborted).toBe(true);
    await runner.run(plugin, { target: 'db' }, never());
    expect(runs).toHaveLength(2);
  });

  it('lets one caller give up without cancelling the run for the others; the last one out stops it', async () => {
    const { runner } = createRunner();
    const { plugin, runs, answerAll, settle } = countedPlugin('diagnostic');
    const impatient = new AbortController();
    const leaving = runner.run(plugin, { target: 'db' }, impatient.signal);
    const staying = runner.run(plugin, { target: 'db' }, never());
    impatient.abort(new Error('operator cancelled'));
    await expect(leaving).rejects.toThrow('operator cancelled');
    await answerAll();
    expect((await staying).status).toBe('success');

    const alone = new AbortController();
    const abandoned = runner.run(plugin, { target: 'other' }, alone.signal);
    await settle();
    alone.abort(new Error('gone'));
    await expect(abandoned).rejects.toThrow('gone');
    expect(runs[1]?.signal.aborted).toBe(true);
    expect(runner.stats().entries).toBe(1);
  });

  it('keeps at most maxEntries results', async () => {
    const { runner } = createRunner({ maxEntries: 2 });
    const { plugin, answerAll } = countedPlugin('diagnostic');
    const calls = ['a', 'b', 'c'].map((target) => runner.run(plugin, { target }, never()));
    await answerAll();
    await Promise.all(calls);
    expect(runner.stats().entries).toBe(2);
  });
});

describe('loadTargets', () => {
  let dir: string;
  const write = async (name: string, text: string) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ai-fixer-targets-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const env = { PG_PASSWORD: 's3cret', API_TOKEN: 'tok', LOOKS_LIKE_A_REFERENCE: '${API_TOKEN}' };

  it('reads YAML, replacing ${VAR} in string values from the given environment', async () => {
    const file = await write(
      'targets.yaml',
      [
        'postgres:',
        '  main:',
        '    url: postgres://app:${PG_PASSWORD}@db:5432/app',
        'http:',
        '  checkout:',
        '    baseUrl: http://checkout.internal',
        '    headers:',
        '      Authorization: Bearer ${API_TOKEN}',
        '      X-Literal: $${API_TOKEN} costs $5',
        '      X-Not-Expanded: ${LOOKS_LIKE_A_REFERENCE}',
        '    expectStatus: 204',
      ].join('\n'),
    );
    const targets = await loadTargets(file, env);
    expect(targets.postgres.main?.url).toBe('postgres://app:s3cret@db:5432/app');
    expect(targets.http.checkout?.headers).toEqual({
      Authorization: 'Bearer tok',
      'X-Literal': '${API_TOKEN} costs $5',
      'X-Not-Expanded': '${API_TOKEN}',
    });
    expect(targets.http.checkout?.expectStatus).toBe(204);
  });

  it('reads JSON (and .yml) the same way', async () => {
    const json = await write('targets.json', JSON.stringify({ redis: { sessions: { url: 'redis://:${PG_PASSWORD}@cache:6379' } } }));
    expect((await loadTargets(json, env)).redis.sessions?.url).toBe('redis://:s3cret@cache:6379');
    const yml = await write('targets.yml', 'hosts:\n  web:\n    units: [nginx.service, "${API_TOKEN}"]\n');
    expect((await loadTargets(yml, env)).hosts.web?.units).toEqual(['nginx.service', 'tok']);
  });

  it('names the file, every field and every variable that is not set', async () => {
    const file = await write('missing.yaml', 'postgres:\n  main:\n    url: ${PG_URL}\nredis:\n  cache:\n    url: redis://${REDIS_HOST}:${REDIS_PORT}\n');
    const loading = loadTargets(file, env);
    await expect(loading).rejects.toThrow(file);
    await expect(loading).rejects.toThrow('postgres.main.url: environment variable PG_URL is not set');
    await expect(loading).rejects.toThrow('redis.cache.url: environment variable REDIS_HOST is not set');
    await expect(loading).rejects.toThrow('redis.cache.url: environment variable REDIS_PORT is not set');
  });

  it('rejects a malformed reference instead of passing it through', async () => {
    const file = await write('malformed.yaml', 'redis:\n  cache:\n    url: redis://${cache-host}\n');
    await expect(loadTargets(file, env)).rejects.toThrow('redis.cache.url: malformed reference');
  });

  it('names the file and field paths for invalid YAML, invalid values and unknown extensions', async () => {
    const broken = await write('broken.yaml', 'http:\n  checkout: [unclosed\n');
    await expect(loadTargets(broken, env)).rejects.toThrow(`Targets file ${broken} is not valid YAML`);
    const invalid = await write('invalid.yaml', 'http:\n  checkout:\n    baseUrl: not a url\n');
    await expect(loadTargets(invalid, env)).rejects.toThrow('http.checkout.baseUrl');
    const toml = await write('targets.toml', '');
    await expect(loadTargets(toml, env)).rejects.toThrow('must end in .yaml, .yml or .json');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import httpProbe from '../../plugins/diagnostic/http-probe';
import httpCall from '../../plugins/remediation/http-call';
import { loadTargets } from '../../src/plugins/load-targets';
import type { PluginContext } from '../../src/plugins/plugin';
import { PluginRegistry } from '../../src/plugins/registry';
import { createHttpPluginRegistry } from '../support/http-plugin-registry';
import { describeCall, runPlugin } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';

const logger = pino({ level: 'silent' });

function contextFor(service: FlakyService, signal = new AbortController().signal): PluginContext {
  const targets = TargetsSchema.parse({
    http: {
      checkout: {
        baseUrl: service.url,
        actions: {
          restart: { method: 'POST', path: '/admin/restart', risk: 'high', remediatesUnhealthy: true },
          purge: { method: 'POST', path: '/admin/restart' },
        },
      },
    },
  });
  return { signal, logger, targets };
}

describe('http plugins against a real service', () => {
  let service: FlakyService;
  let ctx: PluginContext;

  beforeEach(async () => {
    service = await startFlakyService();
    ctx = contextFor(service);
  });
  afterEach(() => service.close());

  it('probes unhealthy, restarts, then probes healthy', async () => {
    const before = await runPlugin(httpProbe, { target: 'checkout' }, ctx);
    expect(before).toMatchObject({ status: 'error', data: { status: 503, ok: false, url: `${service.url}/healthz` } });
    expect(before.summary).toContain('expected 200');

    const restart = await runPlugin(httpCall, { target: 'checkout', action: 'restart' }, ctx);
    expect(restart).toMatchObject({ status: 'success', data: { status: 200, actionRisk: 'high' } });
    expect(service.restarts).toBe(1);

    const after = await runPlugin(httpProbe, { target: 'checkout', bodyIncludes: 'ok' }, ctx);
    expect(after).toMatchObject({ status: 'success', data: { status: 200, ok: true, bodyMatched: true } });
    expect(after.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('reports an unexpected body, a custom expectation and a redirect it does not follow', async () => {
    service.setHealthy(true);
    const body = await runPlugin(httpProbe, { target: 'checkout', bodyIncludes: 'ready' }, ctx);
    expect(body).toMatchObject({ status: 'error', data: { status: 200, bodyMatched: false, ok: false } });

    const notFound = await runPlugin(httpProbe, { target: 'checkout', path: '/nope', expectStatus: 404 }, ctx);
    expect(notFound.status).toBe('success');

    const moved = await runPlugin(httpProbe, { target: 'checkout', path: '/moved' }, ctx);
    expect(moved).toMatchObject({ status: 'error', data: { status: 302 } });
    expect(moved.summary).toContain('not followed');
  });

  it('turns unknown targets and actions into errors without sending anything', async () => {
    const probe = await runPlugin(httpProbe, { target: 'billing' }, ctx);
    expect(probe).toMatchObject({ status: 'error' });
    expect(probe.summary).toContain('configured targets: checkout');

    const target = await runPlugin(httpCall, { target: 'billing', action: 'restart' }, ctx);
    const action = await runPlugin(httpCall, { target: 'checkout', action: 'drop_tables' }, ctx);
    expect(target.status).toBe('error');
    expect(action.status).toBe('error');
    expect(action.summary).toContain('configured actions: restart, purge');
    expect(service.restarts).toBe(0);
  });

  it('rejects invalid args without calling the plugin', async () => {
    let called = false;
    const spy: typeof httpCall = { ...httpCall, run: () => ((called = true), Promise.reject(new Error('called'))) };
    const result = await runPlugin(spy, { target: 'checkout', action: 'restart', url: 'http://evil' }, ctx);
    expect(result.status).toBe('error');
    expect(result.summary).toContain('Invalid arguments for http.call');
    expect(called).toBe(false);
    expect((await runPlugin(httpProbe, { target: 'checkout', path: 'healthz' }, ctx)).status).toBe('error');
  });

  it('keeps a model-chosen probe path under the target\'s base path, plain or percent-encoded', async () => {
    const prefixed = { ...ctx, targets: TargetsSchema.parse({ http: { app: { baseUrl: `${service.url}/api/v1` } } }) };
    const escapes = ['/../../../admin/restart', '/%2e%2e/%2e%2e/admin/restart', '/%2E%2E%2Fadmin/restart', '/..%2f..%2fadmin/restart', '/%252e%252e/admin', '/.\\../admin', '/./x'];
    for (const path of escapes) {
      const result = await runPlugin(httpProbe, { target: 'app', path }, prefixed);
      expect(result, path).toMatchObject({ status: 'error', summary: expect.stringContaining('leaves the base path') as unknown });
    }
    expect(service.restarts).toBe(0);
    // A path under the base is probed as before.
    const inside = await runPlugin(httpProbe, { target: 'app', path: '/orders?x=..', expectStatus: 404 }, prefixed);
    expect(inside).toMatchObject({ data: { url: `${service.url}/api/v1/orders?x=..` } });
  });

  it('reports connection refused as an error result', async () => {
    await service.close();
    const result = await runPlugin(httpProbe, { target: 'checkout' }, ctx);
    expect(result).toMatchObject({ status: 'error', data: { ok: false, failure: 'connection refused' } });
    expect(result.summary).toContain('connection refused');
  });

  it('turns a thrown bug into an error result', async () => {
    const broken = { ...httpProbe, run: () => Promise.reject(new Error('boom')) };
    expect(await runPlugin(broken, { target: 'checkout' }, ctx)).toMatchObject({ status: 'error', summary: 'http.probe failed: boom' });
  });

  it('describes calls and plans', async () => {
    expect(describeCall(httpCall, { target: 'checkout', action: 'restart' })).toBe('Call action restart on checkout');
    expect(describeCall(httpCall, { nonsense: 1 })).toBe('http.call {"nonsense":1}');
    expect(await httpCall.dryRun?.({ target: 'checkout', action: 'restart' }, ctx)).toBe(
      `POST ${service.url}/admin/restart (target checkout, action restart)`,
    );
  });

  it('confirms from health: applied, not applied, unknown', async () => {
    const args = { target: 'checkout', action: 'restart' };
    expect(await httpCall.confirm?.(args, ctx)).toBe('not_applied');
    service.setHealthy(true);
    expect(await httpCall.confirm?.(args, ctx)).toBe('applied');
    // Health says nothing about an action that is not meant to fix it.
    expect(await httpCall.confirm?.({ target: 'checkout', action: 'purge' }, ctx)).toBe('unknown');
    await service.close();
    expect(await httpCall.confirm?.(args, ctx)).toBe('unknown');
  });
});

describe('http.call with a held request', () => {
  let service: FlakyService;
  beforeEach(async () => {
    service = await startFlakyService({ holdRestart: true });
  });
  afterEach(() => service.close());

  it('times out with an error result after timeoutMs', async () => {
    const quick = { ...httpCall, timeoutMs: 200 };
    const result = await runPlugin(quick, { target: 'checkout', action: 'restart' }, contextFor(service));
    expect(result).toMatchObject({ status: 'error', summary: 'http.call timed out after 200 ms' });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(190);
    expect(service.restarts).toBe(1);
  });

  it("rethrows when the caller's own signal aborts", async () => {
    const controller = new AbortController();
    const running = runPlugin(httpCall, { target: 'checkout', action: 'restart' }, contextFor(service, controller.signal));
    while (service.restarts === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('operator cancelled'));
    await expect(running).rejects.toThrow('operator cancelled');
  });

  it('answers once released', async () => {
    const running = runPlugin(httpCall, { target: 'checkout', action: 'restart' }, contextFor(service));
    while (service.restarts === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    service.releaseRestart();
    expect((await running).status).toBe('success');
  });
});

describe('PluginRegistry', () => {
  it('registers the built-ins and lists them by category', () => {
    const registry = createHttpPluginRegistry();
    expect(registry.list().map((plugin) => plugin.id)).toEqual(['http.probe', 'http.call']);
    expect(registry.byCategory('remediation').map((plugin) => plugin.id)).toEqual(['http.call']);
    expect(registry.get('http.probe')).toBe(httpProbe);
    expect(registry.get('nope.nope')).toBeUndefined();
  });

  it('rejects duplicate ids', () => {
    const registry = createHttpPluginRegistry();
    expect(() => registry.register(httpProbe)).toThrow('Plugin "http.probe" is already registered');
  });

  it('rejects a diagnostic that is not read-only, a read-only remediation, bad ids and timeouts', () => {
    const registry = new PluginRegistry();
    expect(() => registry.register({ ...httpProbe, id: 'http.risky', risk: 'low' })).toThrow(/diagnostic must be 'read-only'/);
    expect(() => registry.register({ ...httpCall, risk: 'read-only' })).toThrow(/remediation cannot be 'read-only'/);
    expect(() => registry.register({ ...httpProbe, id: 'Probe' })).toThrow(/Invalid plugin "Probe"/);
    expect(() => registry.register({ ...httpProbe, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(registry.list()).toEqual([]);
  });
});

describe('loadTargets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ai-fixer-targets-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('returns empty targets without a file', async () => {
    expect(await loadTargets(undefined)).toEqual({ http: {}, postgres: {}, redis: {}, prometheus: {}, loki: {}, kubernetes: {}, hosts: {} });
  });

  it('reads and fills defaults from a JSON file', async () => {
    const file = join(dir, 'good.json');
    await writeFile(file, JSON.stringify({ http: { checkout: { baseUrl: 'http://127.0.0.1:8080' } } }));
    const targets = await loadTargets(file);
    expect(targets.http.checkout).toMatchObject({ healthPath: '/healthz', expectStatus: 200, actions: {} });
  });

  it('names the file and the failing field paths', async () => {
    const file = join(dir, 'bad.json');
    const bad = { http: { checkout: { baseUrl: 'not a url', actions: { restart: { path: 'admin/restart' } } } } };
    await writeFile(file, JSON.stringify(bad));
    const error = loadTargets(file);
    await expect(error).rejects.toThrow(file);
    await expect(error).rejects.toThrow('http.checkout.baseUrl');
    await expect(error).rejects.toThrow('http.checkout.actions.restart.path');
  });

  it('names the file when it is not JSON or missing', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ http: ');
    await expect(loadTargets(file)).rejects.toThrow(`Targets file ${file} is not valid JSON`);
    await expect(loadTargets(join(dir, 'missing.json'))).rejects.toThrow('Cannot read targets file');
  });
});

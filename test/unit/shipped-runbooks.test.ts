import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { runbookPluginProblems } from '../../src/memory/runbook-plugins';
import { loadRunbooks, matchRunbooks, parseRunbook } from '../../src/memory/runbooks';
import type { LoadedRunbooks } from '../../src/memory/runbooks';
import { createRegistry } from '../../src/plugins/discovery';
import type { PluginRegistry } from '../../src/plugins/registry';

const RUNBOOKS_DIR = fileURLToPath(new URL('../../runbooks', import.meta.url));

let loaded: LoadedRunbooks;
let registry: PluginRegistry;
beforeAll(async () => {
  loaded = await loadRunbooks(RUNBOOKS_DIR);
  ({ registry } = await createRegistry({ logger: pino({ level: 'silent' }) }));
});

const steps = (path: string) => {
  const runbook = loaded.runbooks.find((r) => r.path === path);
  if (!runbook) throw new Error(`${path} is not shipped`);
  return [...runbook.diagnostics, ...runbook.remediation, ...runbook.verification].map((step) => step.plugin);
};

describe('the runbooks shipped in runbooks/', () => {
  it('all parse', () => {
    expect(loaded.broken).toEqual([]);
    expect(loaded.runbooks.length).toBeGreaterThanOrEqual(6);
  });

  it('name only registered plugins of the right category, with args their schemas accept', () => {
    const problems = loaded.runbooks.flatMap((runbook) => runbookPluginProblems(runbook, registry));
    expect(problems).toEqual([]);
  });

  it('cover the built-in fixes: health check → remedy, idle transactions → terminate, bad rollout → roll back', () => {
    expect(steps('http-service-unhealthy.md')).toEqual(['http.probe', 'http.call', 'http.probe']);
    expect(steps('postgres-idle-in-transaction.md')).toEqual(['postgres.activity', 'postgres.terminate_backends', 'postgres.activity']);
    expect(steps('kubernetes-bad-rollout.md')).toContain('kubernetes.rollback');
  });

  it('each match a typical alert of their kind first', () => {
    const first = (title: string, labels: Record<string, string> = {}) => matchRunbooks({ title, labels }, loaded.runbooks)[0]?.runbook.path;
    expect(first('checkout health check failed: 503 Service Unavailable')).toBe('http-service-unhealthy.md');
    expect(first('orders-db: too many connections', { alertname: 'PostgresTooManyConnections' })).toBe('postgres-idle-in-transaction.md');
    expect(first('Pod shop/api-0 CrashLoopBackOff', { alertname: 'KubePodCrashLooping' })).toBe('kubernetes-crashloop.md');
    expect(first('Deployment shop/api rollout stuck', { alertname: 'KubeDeploymentRolloutStuck' })).toBe('kubernetes-bad-rollout.md');
    expect(first('Redis cache memory usage high, evicted keys rising')).toBe('redis-memory-pressure.md');
    expect(first('/var: no space left on device', { alertname: 'NodeFilesystemAlmostOutOfSpace' })).toBe('host-disk-full.md');
  });
});

describe('runbookPluginProblems', () => {
  it('reports unknown plugins, the wrong category, args a schema rejects and placeholders without a value', () => {
    const parsed = parseRunbook(
      'bad.md',
      [
        '---',
        'diagnostics:',
        '  - { plugin: http.probez, args: { target: "{{target}}" } }',
        '  - { plugin: http.call, args: { target: "{{target}}", action: restart } }',
        'remediation:',
        '  - { plugin: postgres.terminate_backends, args: { target: "{{target}}", olderThanSeconds: 5 }, summary: Too eager }',
        'verification:',
        '  - { plugin: http.probe, args: { target: "{{mystery}}" } }',
        '---',
      ].join('\n'),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(runbookPluginProblems(parsed.runbook, registry)).toEqual([
      'bad.md: diagnostics.0 (http.probez): no plugin with this id is registered',
      'bad.md: diagnostics.1 (http.call): is a remediation plugin, diagnostics needs a diagnostic one',
      expect.stringMatching(/^bad\.md: remediation\.0 \(postgres\.terminate_backends\): args\.olderThanSeconds: /) as unknown,
      'bad.md: verification.0 (http.probe): no value for {{mystery}}',
    ]);
  });
});

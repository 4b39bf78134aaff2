import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BUILTIN_PLUGINS_DIR, discoverPlugins } from '../../src/plugins/discovery';
import { definePlugin, undoOfCall } from '../../src/plugins/plugin';
import { checkPluginSpec } from '../../src/plugins/registry';
import { proposalPrompt } from '../../src/diagnosis/agent/prompts';
import { TargetsSchema } from '../../src/plugins/targets';

const logger = pino({ level: 'silent' });

const fix = definePlugin({
  id: 'test.fix',
  version: 1,
  category: 'remediation',
  risk: 'low',
  blastRadius: 'single',
  description: 'A fix.',
  summary: () => 'Fix',
  args: z.object({ undoable: z.boolean() }).strict(),
  timeoutMs: 100,
  idempotent: true,
  run: () => Promise.resolve({ status: 'success', summary: 'fixed' }),
});
const rollback = () => Promise.resolve({ status: 'success' as const, summary: 'undone' });

function problemOf(value: unknown): string {
  const check = checkPluginSpec(value);
  return check.ok ? 'accepted' : check.problem;
}

describe('a plugin declares whether it can be undone', () => {
  it('accepts undo rollback with a rollback, none without one, and no declaration (unknown)', () => {
    expect(problemOf({ ...fix, undo: 'rollback', rollback })).toBe('accepted');
    expect(problemOf({ ...fix, undo: 'none' })).toBe('accepted');
    expect(problemOf(fix)).toBe('accepted');
  });

  it('rejects a rollback without undo rollback, undo rollback without a rollback, undoOf without it, and undo on a diagnostic', () => {
    expect(problemOf({ ...fix, rollback })).toContain("A plugin with rollback must declare undo: 'rollback'");
    expect(problemOf({ ...fix, undo: 'none', rollback })).toContain("must declare undo: 'rollback'");
    expect(problemOf({ ...fix, undo: 'rollback' })).toContain('needs a rollback function');
    expect(problemOf({ ...fix, undo: 'none', undoOf: () => 'none' })).toContain('undoOf is only for plugins that declare');
    expect(problemOf({ ...fix, undo: 'sometimes' })).not.toBe('accepted');
    const diagnostic = { ...fix, category: 'diagnostic', risk: 'read-only', blastRadius: 'none' };
    expect(problemOf(diagnostic)).toBe('accepted');
    expect(problemOf({ ...diagnostic, undo: 'none' })).toContain('A diagnostic changes nothing');
  });

  it('asks undoOf per call, and answers undefined for args the plugin rejects or an undoOf that throws', () => {
    const ctx = { signal: new AbortController().signal, logger, targets: TargetsSchema.parse({}) };
    const perCall = { ...fix, undo: 'rollback' as const, rollback, undoOf: (args: { undoable: boolean }) => (args.undoable ? ('rollback' as const) : ('none' as const)) };
    expect(undoOfCall(perCall, { undoable: true }, ctx)).toBe('rollback');
    expect(undoOfCall(perCall, { undoable: false }, ctx)).toBe('none');
    expect(undoOfCall(perCall, { other: 1 }, ctx)).toBeUndefined();
    const throwing = { ...perCall, undoOf: () => { throw new Error('bug'); } };
    expect(undoOfCall(throwing, { undoable: true }, ctx)).toBeUndefined();
    expect(undoOfCall({ ...fix, undo: 'none' }, {}, ctx)).toBe('none');
    expect(undoOfCall(fix, { undoable: true }, ctx)).toBeUndefined();
  });

  it('the built-ins declare it as the README table says', async () => {
    const { plugins, broken } = await discoverPlugins([BUILTIN_PLUGINS_DIR], logger);
    expect(broken).toEqual([]);
    const undo = Object.fromEntries(plugins.filter((p) => p.category === 'remediation').map((p) => [p.id, p.undo ?? 'unknown']));
    expect(undo).toEqual({
      'http.call': 'rollback',
      'kubernetes.delete_pod': 'none',
      'kubernetes.rollback': 'rollback',
      'kubernetes.rollout_restart': 'none',
      'kubernetes.scale': 'rollback',
      'postgres.cancel_query': 'none',
      'postgres.terminate_backends': 'none',
      'redis.delete_keys': 'none',
      'shell.run': 'unknown',
      'systemd.restart_unit': 'none',
    });
  });

  it('the model is told what each remediation can undo, as the plugins declare it', async () => {
    const { plugins } = await discoverPlugins([BUILTIN_PLUGINS_DIR], logger);
    const alert = { source: 'test', fingerprint: 'fp', title: 'checkout down', status: 'firing' as const, severity: 'high' as const, labels: {} };
    const diagnosis = { summary: 's', rootCause: 'r', category: 'c', severity: 'high' as const, confidence: 0.5, evidence: [] };
    const remediation = plugins.filter((p) => p.category === 'remediation');
    const prompt = proposalPrompt(alert, diagnosis, remediation, { incidents: [], knowledge: [] }, (text) => text);
    const line = (id: string) => prompt.split('\n').find((l) => l.startsWith(`- ${id} (`)) ?? '';
    expect(line('kubernetes.scale')).toContain(', can be undone)');
    expect(line('redis.delete_keys')).toContain(', cannot be undone)');
    expect(line('http.call')).toContain('can be undone for some calls');
    expect(line('shell.run')).not.toMatch(/undone/);
  });
});

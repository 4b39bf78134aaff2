import { describe, expect, it } from 'vitest';
import { recordStep, startRollback } from '../../machines/incident.assignments';
import { rollbackRefusal, undoableSteps } from '../../machines/incident.rules';
import type { ExecutionOutcome, FixProposal, FixStepped, IncidentContext, StepOutcome } from '../../src/domain';
import { incidentContext as incidentContextWith } from '../support/incident-context';

const fix: FixProposal = {
  summary: 'Scale checkout up, flush its cache, restart it',
  rationale: 'Overloaded.',
  riskClaim: 'medium',
  steps: [
    { pluginId: 'kubernetes.scale', args: { deployment: 'checkout', replicas: 4 }, summary: 'Scale checkout to 4', undo: 'rollback' },
    { pluginId: 'redis.delete_keys', args: { pattern: 'checkout:*' }, summary: 'Flush the cache', undo: 'none' },
    { pluginId: 'http.call', args: { target: 'checkout', action: 'toggle' }, summary: 'Toggle the flag', undo: 'rollback' },
  ],
  verification: [{ pluginId: 'http.probe', args: { target: 'checkout' } }],
};

const ran = (pluginId: string, status: StepOutcome['status'], key: string): StepOutcome => ({ pluginId, idempotencyKey: key, status, summary: '', elapsedMs: 1, recovered: false });
const execution = (...steps: StepOutcome[]): ExecutionOutcome => ({ succeeded: steps.every((s) => s.status === 'success'), steps });
const allRan = execution(ran('kubernetes.scale', 'success', 'k0'), ran('redis.delete_keys', 'success', 'k1'), ran('http.call', 'success', 'k2'));

describe('what a rollback undoes', () => {
  it('the steps that ran and can be undone, last first; a step that cannot be undone is skipped', () => {
    expect(undoableSteps(fix, allRan).map((s) => [s.step.pluginId, s.ran.idempotencyKey])).toEqual([
      ['http.call', 'k2'],
      ['kubernetes.scale', 'k0'],
    ]);
  });

  it('not a step that failed or whose effect is unknown, nor one the fix never reached', () => {
    const partial = execution(ran('kubernetes.scale', 'success', 'k0'), ran('redis.delete_keys', 'error', 'k1'));
    expect(undoableSteps(fix, partial).map((s) => s.ran.idempotencyKey)).toEqual(['k0']);
    const unknown = execution(ran('kubernetes.scale', 'unknown', 'k0'));
    expect(undoableSteps(fix, unknown)).toEqual([]);
  });

  it('nothing for a dry run, a rollback, a proposal made before plugins declared undo, or no execution', () => {
    expect(undoableSteps(fix, { ...allRan, dryRun: true })).toEqual([]);
    expect(undoableSteps({ ...fix, kind: 'rollback' }, allRan)).toEqual([]);
    expect(undoableSteps({ ...fix, steps: fix.steps.map(({ undo: _undo, ...step }) => step) }, allRan)).toEqual([]);
    expect(undoableSteps(fix, null)).toEqual([]);
  });
});

describe('/rollback', () => {
  const escalated = (at: Date, window?: number): IncidentContext =>
    incidentContextWith({
      proposal: fix,
      execution: allRan,
      escalation: { reason: 'Fix did not verify', at: at.toISOString() },
      timeouts: { ...incidentContextWith({}).timeouts, ...(window !== undefined && { rollbackWindow: window }) },
    });

  it('may undo the last fix within ROLLBACK_WINDOW of its end, not after', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(rollbackRefusal(escalated(new Date(now - 59 * 60_000)), now)).toBeUndefined();
    expect(rollbackRefusal(escalated(new Date(now - 61 * 60_000)), now)).toBe('windowPassed');
    expect(rollbackRefusal(escalated(new Date(now - 5 * 60_000), 60_000), now)).toBe('windowPassed');
  });

  it('has nothing to undo when no step that ran can be undone', () => {
    const context = { ...escalated(new Date()), execution: execution(ran('kubernetes.scale', 'error', 'k0')) };
    expect(rollbackRefusal(context)).toBe('nothingToUndo');
  });
});

describe('starting a rollback', () => {
  const by = { by: { id: 'ou_alice' }, source: { kind: 'command' as const } };

  it('is a new attempt whose proposal undoes each undoable run, last first, and says what stays', () => {
    const context = incidentContextWith({ attempt: 2, proposal: fix, execution: allRan, cards: { diagnosis: 'om_d', proposal: 'om_p' } });
    const next = startRollback(context, { type: 'incident.rollback', ...by }, { reason: 'Rolled back by hand' });
    expect(next.attempt).toBe(3);
    expect(next.proposal).toMatchObject({
      kind: 'rollback',
      summary: `Roll back: ${fix.summary}`,
      steps: [
        { pluginId: 'http.call', args: fix.steps[2]!.args, undoes: 'k2', summary: 'Undo: Toggle the flag' },
        { pluginId: 'kubernetes.scale', args: fix.steps[0]!.args, undoes: 'k0', summary: 'Undo: Scale checkout to 4' },
      ],
    });
    expect(next.rollback).toMatchObject({ reason: 'Rolled back by hand', by: by.by, fix: fix.summary, notUndone: ['Flush the cache'] });
    // The fix's card and decision belong to the attempt before: the rollback gets its own.
    expect(next).toMatchObject({ decision: null, execution: null, verification: null, escalation: null, cards: { diagnosis: 'om_d' } });
  });
});

describe('a step of the fix, recorded', () => {
  const stepped = (index: number, of: number, outcome: StepOutcome, dryRun?: true): FixStepped => ({ type: 'fix.stepped', index, of, outcome, ...(dryRun && { dryRun }) });

  it('succeeds only once the last step is in and every step succeeded', () => {
    let context = incidentContextWith({ execution: null });
    context = { ...context, ...recordStep(context, stepped(0, 2, ran('a', 'success', 'k0')), undefined) };
    expect(context.execution).toEqual({ succeeded: false, steps: [ran('a', 'success', 'k0')] });
    context = { ...context, ...recordStep(context, stepped(1, 2, ran('b', 'success', 'k1')), undefined) };
    expect(context.execution?.succeeded).toBe(true);
  });

  it('a dry run never succeeds, and a failed step fails the fix', () => {
    const start = incidentContextWith({ execution: null });
    expect(recordStep(start, stepped(0, 1, ran('a', 'no_data', 'k0'), true), undefined).execution).toMatchObject({ succeeded: false, dryRun: true });
    expect(recordStep(start, stepped(0, 1, ran('a', 'error', 'k0')), undefined).execution?.succeeded).toBe(false);
  });
});

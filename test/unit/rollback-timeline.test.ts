import { describe, expect, it } from 'vitest';
import { DECISION_LABELS, eventLabel, fillLabel } from '../../machines/incident.labels';
import { workflowOf } from '../../machines/incident.view';
import type { IncidentEventType } from '../../src/domain';
import { accessFrom, parsePolicy } from '../../src/policy';
import type { IncidentView } from '../../src/runtime/incident-service';
import { commandFor, incidentActions } from '../../src/server/console/incident-actions';
import { timelineOf } from '../../src/server/console/incident-timeline';
import type { IncidentEventRecord } from '../../src/store/entities';
import { incidentContext } from '../support/incident-context';

const ID = 'INC-7K2M9Q4T';
const scaled = { pluginId: 'kubernetes.scale', idempotencyKey: 'k1', status: 'success', summary: 'scaled to 6', elapsedMs: 5, recovered: false };

function row(eventType: string, payload: Record<string, unknown>): IncidentEventRecord {
  const record = { incidentId: ID, eventType, fromState: 'remediating.executing', toState: 'remediating.executing', actor: 'system', payload, at: new Date('2026-12-07T06:05:00Z') };
  return record as unknown as IncidentEventRecord;
}
const whatOf = (record: IncidentEventRecord) => timelineOf([record], [])[0]?.what;

describe('the timeline of a fix run step by step', () => {
  it('a step’s row says which step of how many ran and how, in both languages, failures and dry runs included', () => {
    const done = row('fix.stepped', { type: 'fix.stepped', index: 1, of: 3, outcome: scaled });
    expect(whatOf(done)).toEqual({ en: 'Step 2 of 3: kubernetes.scale succeeded', 'zh-CN': '第 2/3 步：kubernetes.scale 执行成功' });
    const failed = row('fix.stepped', { type: 'fix.stepped', index: 0, of: 2, outcome: { ...scaled, status: 'error' } });
    expect(whatOf(failed)).toEqual({ en: 'Step 1 of 2: kubernetes.scale failed', 'zh-CN': '第 1/2 步：kubernetes.scale 执行失败' });
    const dry = row('fix.stepped', { type: 'fix.stepped', index: 0, of: 1, dryRun: true, outcome: { ...scaled, status: 'no_data' } });
    expect(whatOf(dry)?.en).toBe('Step 1 of 1: kubernetes.scale would run (dry run; nothing changed)');
    expect(whatOf(dry)?.['zh-CN']).toBe('第 1/1 步：kubernetes.scale 将会执行（演练，未做任何改动）');
  });

  it('a step row it cannot read keeps the event’s own words', () => {
    expect(whatOf(row('fix.stepped', { weird: true }))).toEqual(eventLabel('fix.stepped'));
    expect(eventLabel('fix.stepped').en).toBe('A step of the fix ran');
  });

  it('names the fix machine’s end, the older `execute` rows, and a rollback request with who asked', () => {
    expect(eventLabel('xstate.done.actor.fix')).toEqual({ en: 'Fix ran', 'zh-CN': '修复已运行' });
    expect(eventLabel('xstate.error.actor.fix').en).toBe('Running the fix crashed');
    expect(eventLabel('xstate.done.actor.execute').en).toBe('Fix applied');
    expect(eventLabel('incident.rollback')).toEqual({ en: 'Rollback requested', 'zh-CN': '已请求回滚' });
    expect(fillLabel(DECISION_LABELS['incident.rollback'].by.en, { who: 'Alice' })).toBe('Rollback requested by Alice');
    expect(fillLabel(DECISION_LABELS['incident.rollback'].by['zh-CN'], { who: '张三' })).toBe('张三 请求回滚修复');
  });
});

describe('the console’s "Roll back the fix"', () => {
  const rules = parsePolicy({ roles: { operator: ['ops'], viewer: ['watcher'] } }, 'test');
  const access = accessFrom(() => rules);
  function view(state: string, accepts: IncidentEventType[]): IncidentView {
    const context = incidentContext();
    return {
      id: ID, state, status: 'parked', version: 1, title: 't', severity: 'high', service: null, fingerprint: 'fp', chatId: 'web',
      mergedInto: null, wakeAt: null, createdAt: new Date(0), updatedAt: new Date(0),
      context, accepts, workflow: workflowOf(state, context, { can: (event) => accepts.includes(event.type) }),
    };
  }

  it('is offered where the chart takes it, after the others, under the policy’s rollback roles', () => {
    const escalated = view('escalated', ['incident.retry', 'incident.resolve', 'incident.ignore', 'incident.rollback']);
    const actions = incidentActions(escalated, access, 'ops');
    expect(actions.map((a) => a.type)).toEqual(['incident.retry', 'incident.resolve', 'incident.rollback', 'incident.ignore']);
    expect(actions.find((a) => a.type === 'incident.rollback')).toMatchObject({ label: { en: 'Roll back the fix', 'zh-CN': '回滚修复' }, style: 'danger', refused: null });
    const refused = incidentActions(escalated, access, 'watcher').find((a) => a.type === 'incident.rollback')?.refused;
    expect(refused?.en).toMatch(/may roll back a fix \(you hold viewer\)/);
    expect(refused?.['zh-CN']).toMatch(/才能回滚修复/);
    expect(incidentActions(view('escalated', ['incident.retry']), access, 'ops').map((a) => a.type)).toEqual(['incident.retry']);
  });

  it('runs exactly what /rollback would, its text as the reason', () => {
    expect(commandFor({ incidentId: ID, type: 'incident.rollback', text: 'made it worse', id: 'click-0001' })).toEqual({ kind: 'rollback', incidentId: ID, reason: 'made it worse' });
    expect(commandFor({ incidentId: ID, type: 'incident.rollback', id: 'click-0002' })).toEqual({ kind: 'rollback', incidentId: ID, reason: undefined });
  });

  it('the policy file may name who rolls back; unnamed, the operators', () => {
    expect(rules.decide.rollback).toEqual(['operator', 'admin']);
    expect(parsePolicy({ decide: { rollback: ['admin'] } }, 'test').decide.rollback).toEqual(['admin']);
  });
});

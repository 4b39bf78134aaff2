import { describe, expect, it } from 'vitest';
import type { Diagnosis, FixProposal, IncidentContext } from '../../src/domain';
import { memoryRecordOf } from '../../src/memory/memory-recorder';
import { alertText, incidentSummary, IncidentMemoryRecordSchema } from '../../src/memory/memory-record';
import type { IncidentChange } from '../../src/runtime/incident-service';
import { EXAMPLE_INCIDENT_ID, incidentContext } from '../support/incident-context';

const diagnosis: Diagnosis = { summary: 'checkout fails its health check.', rootCause: 'checkout is unhealthy', category: 'availability', severity: 'high', confidence: 0.8, evidence: [] };
const proposal: FixProposal = {
  summary: 'Run "restart" on checkout',
  rationale: 'configured remedy',
  riskClaim: 'medium',
  steps: [{ pluginId: 'http.call', args: { target: 'checkout', action: 'restart' }, summary: 'Call restart', plan: 'POST /admin/restart' }],
  verification: [{ pluginId: 'http.probe', args: { target: 'checkout' } }],
};
const ran = (succeeded: boolean) => ({ succeeded, steps: [] });
const verified = (passed: boolean) => ({ passed, checks: [] });
const at = new Date('2026-11-26T10:00:00Z');

function change(toState: string, context: Partial<IncidentContext>): IncidentChange {
  return { incidentId: EXAMPLE_INCIDENT_ID, eventType: 'x', payload: {}, fromState: null, toState, status: 'done', context: incidentContext(context) };
}

describe('memoryRecordOf', () => {
  it('records a fix that ran and verified as worked', () => {
    const record = memoryRecordOf(change('resolved', { diagnosis, proposal, execution: ran(true), verification: verified(true) }), at);
    expect(record).toEqual({
      incidentId: EXAMPLE_INCIDENT_ID,
      alert: { title: 'HTTP 503', labels: {} },
      diagnosis: { summary: diagnosis.summary, rootCause: diagnosis.rootCause, category: 'availability' },
      fix: {
        summary: proposal.summary,
        steps: [{ pluginId: 'http.call', args: { target: 'checkout', action: 'restart' } }],
        executed: true,
        verification: proposal.verification,
      },
      outcome: 'resolved',
      fixWorked: true,
      endedAt: '2026-11-26T10:00:00.000Z',
    });
  });

  it('calls an escalation after a fix that ran and did not work a failure', () => {
    expect(memoryRecordOf(change('escalated', { diagnosis, proposal, execution: ran(true), verification: verified(false) }))).toMatchObject({ outcome: 'failed', fixWorked: false });
    expect(memoryRecordOf(change('escalated', { diagnosis, proposal, execution: ran(false) }))).toMatchObject({ outcome: 'failed', fixWorked: false });
    // Proposed but never run (rejected, or policy said no): an escalation, saying nothing about the fix.
    expect(memoryRecordOf(change('escalated', { diagnosis, proposal }))).toMatchObject({ outcome: 'escalated', fix: { executed: false } });
  });

  it('keeps a person resolving after a failed fix as resolved, with the fix marked as not working', () => {
    const record = memoryRecordOf(change('resolved', { diagnosis, proposal, execution: ran(true), verification: verified(false) }));
    expect(record).toMatchObject({ outcome: 'resolved', fixWorked: false, fix: { executed: true } });
    expect(incidentSummary(IncidentMemoryRecordSchema.parse(record))).toContain('Fix (did not work): Run "restart" on checkout');
  });

  it('records ignored incidents, and nothing for merged repeats or transitions on the way', () => {
    expect(memoryRecordOf(change('ignored', {}))).toMatchObject({ outcome: 'ignored', diagnosis: null, fix: null, fixWorked: false });
    for (const state of ['merged', 'open.diagnosing', 'escalating', 'resolving', 'remediating.executing', 'toString']) {
      expect(memoryRecordOf(change(state, { diagnosis }))).toBeUndefined();
    }
  });
});

describe('alertText', () => {
  it('keeps what says what is wrong and leaves out links and source bookkeeping', () => {
    const text = alertText({
      title: 'checkout returns 503',
      service: 'checkout',
      text: 'GET /healthz failed',
      labels: { alertname: 'ServiceDown', runbook_url: 'https://wiki/x', dashboard: 'grafana', link: 'https://grafana/d/1', namespace: 'shop' },
    });
    expect(text).toBe('checkout returns 503\ncheckout\nGET /healthz failed\nServiceDown shop');
  });
});

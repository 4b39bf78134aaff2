import { describe, expect, it } from 'vitest';
import { summariseGroup } from '../../src/alerts/alert-group-summary';
import type { HeldAlert } from '../../src/domain/alert-group';
import { DiagnosisSlots } from '../../src/alerts/diagnosis-slots';
import { affectedOf, groupOf } from '../../src/alerts/group-key';
import { tallyOfNew } from '../../src/alerts/tally';
import { AlertSchema } from '../../src/domain';
import type { AlertInput } from '../../src/domain';

const RULES = { groupBy: ['alertname', 'service', 'cluster', 'namespace'], windowMs: 300_000 };
const alert = (fields: Partial<AlertInput>) => AlertSchema.parse({ source: 'lark', fingerprint: 'f', title: 'HighErrorRate', labels: {}, ...fields });

describe('groupOf', () => {
  it("takes the sender's group over labels, and labels (title and service standing in) otherwise", () => {
    expect(groupOf(alert({ groupKey: 'g1' }), RULES)?.kind).toBe('sender');
    expect(groupOf(alert({ groupKey: 'g1' }), RULES)?.key).toBe(groupOf(alert({ groupKey: 'g1', title: 'Other' }), RULES)?.key);
    const a = groupOf(alert({ service: 'checkout' }), RULES);
    expect(a?.kind).toBe('labels');
    expect(groupOf(alert({ service: 'checkout', labels: { alertname: 'HighErrorRate' } }), RULES)?.key).toBe(a?.key);
    expect(groupOf(alert({ service: 'payments' }), RULES)?.key).not.toBe(a?.key);
    expect(groupOf(alert({ service: 'checkout', labels: { namespace: 'prod' } }), RULES)?.key).not.toBe(a?.key);
    // A label that is not in GROUP_BY does not split a group.
    expect(groupOf(alert({ service: 'checkout', labels: { pod: 'checkout-1' } }), RULES)?.key).toBe(a?.key);
  });

  it('groups by labels not at all when GROUP_WINDOW is 0', () => {
    expect(groupOf(alert({ service: 'checkout' }), { ...RULES, windowMs: 0 })).toBeUndefined();
    expect(groupOf(alert({ groupKey: 'g1' }), { ...RULES, windowMs: 0 })?.kind).toBe('sender');
  });

  it('names what is affected: the instance, else the pod, node or host label', () => {
    expect(affectedOf(alert({ instance: '10.0.0.1:9100', labels: { pod: 'p' } }))).toBe('10.0.0.1:9100');
    expect(affectedOf(alert({ labels: { node: 'node-7' } }))).toBe('node-7');
    expect(affectedOf(alert({}))).toBeUndefined();
  });

  it('tallies a new group once per fingerprint', () => {
    const tally = tallyOfNew([alert({ fingerprint: 'a', labels: { node: 'n1' } }), alert({ fingerprint: 'a', labels: { node: 'n1' } }), alert({ fingerprint: 'b', status: 'resolved' })], new Date(0));
    expect(tally).toEqual({ total: 2, firing: 1, affected: ['n1'], affectedTotal: 1, lastAt: '1970-01-01T00:00:00.000Z' });
  });
});

describe('summariseGroup', () => {
  const held = (i: number, status: HeldAlert['status'] = 'firing'): HeldAlert => ({
    fingerprint: `f${i}`,
    status,
    title: 'KubeNodeNotReady',
    severity: 'high',
    service: null,
    instance: `node-${i}`,
    labels: { alertname: 'KubeNodeNotReady', rack: 'r7', node: `node-${i}` },
    source: 'alertmanager',
    messageId: null,
    count: 1,
    firstSeen: new Date(Date.UTC(2026, 11, 7, 1, i)),
    lastSeen: new Date(Date.UTC(2026, 11, 7, 2, i)),
    resolvedAt: null,
  });

  it('says counts, times, the labels all share and the values of those that vary, within the budget', () => {
    const text = summariseGroup([...Array.from({ length: 30 }, (_, i) => held(i)), held(30, 'resolved')]);
    expect(text).toContain('31 alerts of one group: 30 firing, 1 recovered; first 2026-12-07T01:00:00.000Z, last 2026-12-07T02:30:00.000Z');
    expect(text).toContain('Labels all of them share: alertname=KubeNodeNotReady rack=r7');
    expect(text).toMatch(/- node: node-0, node-1, .* and 21 more/);
    expect(summariseGroup(Array.from({ length: 500 }, (_, i) => ({ ...held(i), labels: { [`l${i}`]: 'x'.repeat(300) } })), 800).length).toBeLessThanOrEqual(800);
  });

  it('says nothing for a single alert', () => {
    expect(summariseGroup([held(1)])).toBe('');
  });
});

describe('DiagnosisSlots', () => {
  it('lets in at most max at once, the most severe first, then in arrival order', async () => {
    const slots = new DiagnosisSlots(1);
    const order: string[] = [];
    const abort = new AbortController();
    await slots.acquire('running', 'low', abort.signal);
    const waiting = [
      slots.acquire('medium-1', 'medium', abort.signal).then(() => order.push('medium-1')),
      slots.acquire('critical', 'critical', abort.signal).then(() => order.push('critical')),
      slots.acquire('medium-2', 'medium', abort.signal).then(() => order.push('medium-2')),
    ];
    expect(slots.queued).toBe(3);
    for (const id of ['running', 'critical', 'medium-1']) {
      slots.onTransition(id, 'open.notifyingDiagnosis');
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(waiting);
    expect(order).toEqual(['critical', 'medium-1', 'medium-2']);
    expect(slots.running).toBe(1);
  });

  it('keeps the slot while the incident waits or diagnoses; a waiter that stops leaves the queue; one no longer in memory gives its slot back', async () => {
    let live = new Set(['a']);
    const slots = new DiagnosisSlots(1, (id) => live.has(id));
    await slots.acquire('a', 'high', new AbortController().signal);
    slots.onTransition('a', 'open.diagnosing');
    expect(slots.running).toBe(1);
    const stop = new AbortController();
    const gaveUp = slots.acquire('b', 'high', stop.signal);
    stop.abort();
    await expect(gaveUp).rejects.toThrow();
    expect(slots.queued).toBe(0);
    live = new Set(['c']);
    await slots.acquire('c', 'low', new AbortController().signal); // 'a' left memory: its slot is free again
    expect(slots.running).toBe(1);
  });
});

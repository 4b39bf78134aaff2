import { describe, expect, it } from 'vitest';
import { AlertPayloadError, normaliseSeverity, parseAlertPayload, parseAlertmanagerPayload } from '../../src/intake/alertmanager';

/** An Alertmanager webhook body (version 4) with two alerts of one group. */
function alertmanagerPayload() {
  return {
    version: '4',
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'ai-fixer',
    groupLabels: { alertname: 'KubePodCrashLooping' },
    commonLabels: { alertname: 'KubePodCrashLooping', namespace: 'shop', severity: 'warning' },
    commonAnnotations: { runbook_url: 'https://runbooks/x' },
    externalURL: 'http://alertmanager:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', severity: 'warning', service: 'payments', instance: '10.244.3.17:8080', job: 'kube-state-metrics' },
        annotations: { summary: 'Pod is crash looping.', description: 'Pod shop/payments-7b6d9c5f4-x8k2p is in waiting state.' },
        startsAt: '2026-03-14T02:17:45.123Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=x',
        fingerprint: 'c7d2f1e4a9b80312',
      },
      {
        status: 'resolved',
        labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', severity: 'critical', job: 'checkout' },
        annotations: { summary: 'Pod is crash looping.' },
        startsAt: '2026-03-14T01:00:00Z',
        endsAt: '2026-03-14T02:00:00Z',
        generatorURL: '',
      },
    ],
  };
}

describe('an Alertmanager payload', () => {
  it('becomes one alert per Alertmanager alert, each carrying the group it came in', () => {
    const [first, second] = parseAlertmanagerPayload(alertmanagerPayload());
    expect(first).toEqual({
      source: 'alertmanager',
      fingerprint: 'c7d2f1e4a9b80312',
      title: 'KubePodCrashLooping',
      status: 'firing',
      severity: 'medium',
      service: 'payments',
      instance: '10.244.3.17:8080',
      description: 'Pod is crash looping.\nPod shop/payments-7b6d9c5f4-x8k2p is in waiting state.',
      labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', severity: 'warning', service: 'payments', instance: '10.244.3.17:8080', job: 'kube-state-metrics' },
      startsAt: '2026-03-14T02:17:45.123Z',
      // The notification's group: its alerts are one problem.
      groupKey: '{}:{alertname="KubePodCrashLooping"}',
      raw: expect.stringContaining('"fingerprint":"c7d2f1e4a9b80312"') as unknown,
    });
    expect(second?.groupKey).toBe(first?.groupKey);
    expect(second).toMatchObject({ status: 'resolved', severity: 'critical', service: 'checkout', description: 'Pod is crash looping.' });
    expect(second?.instance).toBeUndefined();
  });

  it('derives a fingerprint from the labels when Alertmanager gives none, whatever their order', () => {
    const payload = alertmanagerPayload();
    const reordered = alertmanagerPayload();
    reordered.alerts[1]!.labels = { job: 'checkout', severity: 'critical', namespace: 'shop', alertname: 'KubePodCrashLooping' };
    const a = parseAlertmanagerPayload(payload)[1]!.fingerprint;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(parseAlertmanagerPayload(reordered)[1]!.fingerprint).toBe(a);
  });

  it('fills an alert\'s labels from the common ones', () => {
    const payload = alertmanagerPayload();
    payload.alerts[0]!.labels = { instance: 'db-1' } as typeof payload.alerts[0]['labels'];
    expect(parseAlertmanagerPayload(payload)[0]).toMatchObject({ title: 'KubePodCrashLooping', severity: 'medium', instance: 'db-1' });
  });

  it('rejects the whole payload when one alert is unusable, saying which', () => {
    const payload = alertmanagerPayload();
    payload.alerts[1]!.labels = { job: 'checkout' } as typeof payload.alerts[1]['labels'];
    payload.commonLabels = {} as typeof payload.commonLabels;
    payload.alerts[1]!.annotations = {} as typeof payload.alerts[1]['annotations'];
    const error = catchError(() => parseAlertmanagerPayload(payload));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'alerts.1.title' })]);
  });

  it('rejects a malformed payload with the issues', () => {
    const error = catchError(() => parseAlertPayload({ alerts: [{ status: 'burning', labels: { a: 1 } }] }));
    expect(error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['alerts.0.status', 'alerts.0.labels.a']));
    expect(catchError(() => parseAlertPayload({ alerts: [] })).issues[0]?.path).toBe('alerts');
  });
});

describe('severity words', () => {
  it.each([
    ['critical', 'critical'],
    ['P0', 'critical'],
    ['error', 'high'],
    ['warning', 'medium'],
    ['WARN', 'medium'],
    ['minor', 'low'],
    ['info', 'info'],
    ['none', 'info'],
  ])('%s is %s', (word, severity) => {
    expect(normaliseSeverity(word)).toBe(severity);
  });

  it('leaves unknown words and prototype names to the default', () => {
    expect(normaliseSeverity('spicy')).toBeUndefined();
    expect(normaliseSeverity('constructor')).toBeUndefined();
    expect(parseAlertPayload({ alerts: [{ status: 'firing', labels: { alertname: 'X', severity: 'spicy' } }] })[0]?.severity).toBe('medium');
  });
});

describe('a generic JSON alert', () => {
  it('is taken as one alert, with source and fingerprint filled in', () => {
    const [alert] = parseAlertPayload({ title: 'HTTP 503 on /pay', severity: 'critical', service: 'checkout' });
    expect(alert).toMatchObject({ source: 'api', title: 'HTTP 503 on /pay', severity: 'critical', service: 'checkout' });
    expect(alert?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(parseAlertPayload({ title: 'HTTP 503 on /pay', service: 'checkout', severity: 'low' })[0]?.fingerprint).toBe(alert?.fingerprint);
  });

  it('keeps a fingerprint it was given', () => {
    expect(parseAlertPayload({ title: 't', fingerprint: 'mine', source: 'grafana' })[0]).toMatchObject({ fingerprint: 'mine', source: 'grafana' });
  });

  it('is refused when it does not fit the alert schema', () => {
    expect(catchError(() => parseAlertPayload({ severity: 'critical' })).issues.map((i) => i.path)).toContain('title');
    expect(catchError(() => parseAlertPayload({ title: 't', shell: 'rm -rf /' })).message).toMatch(/shell/);
    expect(catchError(() => parseAlertPayload([{ title: 't' }])).message).toMatch(/JSON object/);
  });
});

function catchError(fn: () => unknown): AlertPayloadError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AlertPayloadError) return error;
    throw error;
  }
  throw new Error('expected an AlertPayloadError');
}

import { describe, expect, it } from 'vitest';
import { AlertSchema } from '../../src/domain';
import { deploymentOfPod, runbookValues } from '../../src/diagnosis/offline/runbook-values';
import { TargetsSchema } from '../../src/plugins/targets';

const targets = TargetsSchema.parse({
  http: { checkout: { baseUrl: 'http://checkout.internal', actions: { restart: { path: '/admin/restart', remediatesUnhealthy: true } } } },
  kubernetes: { prod: { server: 'https://k8s.internal', token: 't', namespaces: ['shop'] } },
  hosts: { 'web-1': { units: ['nginx.service'] } },
});
const alert = (input: Record<string, unknown>) => AlertSchema.parse({ source: 'test', fingerprint: 'f', title: 't', ...input });

describe('runbook placeholder values', () => {
  it('derives a Deployment from its pod name, and nothing from a bare pod name', () => {
    expect(deploymentOfPod('checkout-7d9f8b6c5-x2x7q')).toBe('checkout');
    expect(deploymentOfPod('web-kkzkq9rqxd-slvrw')).toBe('web');
    expect(deploymentOfPod('postgres-0')).toBeUndefined();
  });

  it('fills from labels, the configured target and the single cluster; never invents a host', () => {
    const values = runbookValues(alert({ service: 'checkout', instance: 'db-9:9100', labels: { namespace: 'shop', pod: 'checkout-7d9f8b6c5-x2x7q', 'app.kubernetes.io/name': 'checkout' } }), targets);
    expect(values).toMatchObject({ target: 'checkout', cluster: 'prod', namespace: 'shop', deployment: 'checkout', remedy: 'restart', 'labels.app.kubernetes.io/name': 'checkout' });
    expect(values.host).toBeUndefined();
    expect(runbookValues(alert({ instance: 'web-1:9100' }), targets).host).toBe('web-1');
  });
});

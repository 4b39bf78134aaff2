/**
 * Alerts one click away in the web console, posted as a monitoring bot would post them in a Lark
 * group: the same AlertDetector reads them. All three are about `checkout`, so a targets file with an
 * HTTP target of that name gives the offline runbook something to check and fix.
 */
export interface AlertSample {
  id: string;
  label: string;
  msgType: 'text' | 'interactive';
  content: Record<string, unknown>;
}

const larkCard = (title: string, template: string, markdown: string) => ({
  header: { title: { tag: 'plain_text', content: title }, template },
  elements: [{ tag: 'div', text: { tag: 'lark_md', content: markdown } }],
});

export const ALERT_SAMPLES: readonly AlertSample[] = [
  {
    id: 'alertmanager',
    label: 'Alertmanager',
    msgType: 'interactive',
    content: larkCard(
      '[FIRING:1] CheckoutDown (checkout prod)',
      'red',
      [
        '**Alerts Firing:**',
        '**Alert:** CheckoutDown - `critical`',
        '**Description:** checkout returns HTTP 503 on /healthz',
        '**Details:**',
        ' • alertname: CheckoutDown',
        ' • env: prod',
        ' • instance: 10.1.4.21:8080',
        ' • service: checkout',
        ' • severity: critical',
        '**Started:** 2025-03-14 07:11:00 UTC',
      ].join('\n'),
    ),
  },
  {
    id: 'grafana',
    label: 'Grafana',
    msgType: 'interactive',
    content: larkCard(
      '[FIRING:1] CheckoutLatencyHigh (checkout)',
      'red',
      [
        '**[Grafana告警信息](http://grafana:3000/alerting/list)**',
        '**Value:** B=2.41',
        '**Labels:**',
        ' • alertname: CheckoutLatencyHigh',
        ' • service: checkout',
        ' • severity: high',
        '**Summary:** p99 latency of checkout is above 2s',
      ].join('\n'),
    ),
  },
  { id: 'plain', label: 'Plain text', msgType: 'text', content: { text: '[critical] checkout returns 503 on /pay service=checkout env=prod' } },
];

export function findSample(id: string): AlertSample | undefined {
  return ALERT_SAMPLES.find((sample) => sample.id === id);
}

import type { Severity } from '../../../domain';
import { capturedFrom, mergeCaptured, type CapturedFields } from './captured-fields';
import type { SeverityScale } from './severity';

/**
 * What a known tool's layout needs beyond the general parser, as data. `detect` names the tool from
 * its fixed wording; `extract` patterns fill fields through named groups (as templates do). Order
 * matters: tools relayed through PrometheusAlert (Zabbix, Grafana, Aliyun) come before it.
 */
export interface SourceHint {
  readonly source: string;
  readonly detect: RegExp;
  readonly extract?: readonly RegExp[];
  /** The tool shows no severity; ALERT-FORMATS.md gives it this one. */
  readonly defaultSeverity?: Severity;
  /** The tool's own meaning of severity words, over the general table. */
  readonly severityScale?: SeverityScale;
  /** Label that keeps the severity word as shown, when the tool's scale differs from labels.severity. */
  readonly severityLabel?: string;
  /** The monitor name is the only identifier, so it is the service too. */
  readonly serviceIsTitle?: boolean;
  /** The tool also posts things that are not alerts; its messages never are. */
  readonly notAlerts?: boolean;
}

const ZABBIX_SCALE: SeverityScale = {
  'not classified': 'info', information: 'info', warning: 'low', average: 'medium', high: 'high', disaster: 'critical',
  未分类: 'info', 信息: 'info', 警告: 'low', 一般严重: 'medium', 严重: 'high', 灾难: 'critical',
};

export const SOURCE_HINTS: readonly SourceHint[] = [
  { source: 'GitLab', detect: /Gitlab事件通知|\b(?:Pipeline|Push|Tag Push|Merge Request|Note|Issue|Job) Hook\b/i, notAlerts: true },
  { source: 'Jenkins', detect: /Jenkins\s*构建/i, notAlerts: true },
  {
    source: 'Zabbix',
    detect: /Zabbix|\bProblem (?:started|has been resolved)\b|\bOriginal problem ID\b/i,
    severityScale: ZABBIX_SCALE,
    severityLabel: 'zabbix_severity',
  },
  {
    source: 'Grafana',
    detect: /Grafana(?:告警|恢复)信息|No data in datasource|^Datasource(?:NoData|Error)$|^.{1,300} is resolved!$/m,
    extract: [/^(?<title>.{1,300}?) (?<status>is resolved)!$/m],
  },
  {
    source: 'Aliyun CloudMonitor',
    detect: /ALiYun|阿里云|云监控|CloudMonitor/i,
    extract: [/ALiYun (?<status>(?<alertState>ALERT|OK|INSUFFICIENT_DATA))信息/i, /^metricProject:\s*(?<service>\S+)/m],
  },
  { source: 'Tencent Cloud', detect: /腾讯云|Tencent Cloud/i },
  { source: 'Nightingale', detect: /级别状态|Level Status|alert-his-events|\bn9e\b/i },
  { source: 'WatchAlert', detect: /WatchAlert/i },
  {
    source: 'Uptime Kuma',
    detect: /Uptime\s?Kuma/i,
    extract: [/Uptime\s?Kuma Alert:\s*\[(?<status>[^\]]{1,20})\]\s*(?<title>.{1,300})$/im],
    defaultSeverity: 'high',
    serviceIsTitle: true,
  },
  {
    source: 'kube-eventer',
    detect: /kube-eventer|^EventKind:/im,
    extract: [/^EventReason:\s*(?<title>\S+)/m, /^EventType:\s*(?<severity>Warning)\b/m],
  },
  { source: 'Sentry', detect: /\bSentry\b/i, extract: [/\bSentry (?<severity>Fatal|Error|Warning|Info)\b/i] },
  {
    source: 'SkyWalking',
    detect: /SkyWalking/i,
    extract: [/SkyWalking Alarm:\s*(?<title>[^\n]{1,500}?)\.?$/m, /\bservice (?!instance\b)(?<service>[\w.-]{1,200})/],
    defaultSeverity: 'medium',
  },
  { source: 'ElastAlert', detect: /ElastAlert|\bevents occurred between\b|^num_hits:/im, defaultSeverity: 'medium' },
  { source: 'PrometheusAlert', detect: /PrometheusAlert|Prometheus(?:告警|恢复)信息/ },
  {
    source: 'Alertmanager',
    // Case matters: `[FIRING:1]` is Alertmanager's, `[Resolved]` could be anyone's.
    detect:
      /\[(?:FIRING|RESOLVED)(?::\d+)?\]|GeneratorURL|(?:告警中|已恢复|[Ff]iring|[Rr]esolved)\s*:\s*\d+|\[\d+\] (?:Firing|Resolved)|^(?:🚨 告警触发|✅ 告警已恢复)$|[Aa]lertmanager/m,
    extract: [
      /^\[(?<status>FIRING|RESOLVED)(?::\d+)?\]\s*(?<title>[A-Za-z_:][\w:]{0,200})/m,
      /^(?<title>[A-Za-z_:][\w:]{0,200}) \[\d+\] (?:Firing|Resolved)/m,
    ],
  },
];

export function detectSource(text: string): SourceHint | undefined {
  return SOURCE_HINTS.find((hint) => hint.detect.test(text));
}

export function hintFields(hint: SourceHint | undefined, text: string): CapturedFields {
  const captured = (hint?.extract ?? []).map((pattern) => capturedFrom(pattern.exec(text)?.groups));
  return mergeCaptured(captured);
}

import { createHash } from 'node:crypto';
import type { Alert, AlertGroup } from '../domain';

/** How alerts without a sender's group are grouped into one incident (GROUP_BY, GROUP_WINDOW). */
export interface GroupingRules {
  /** Labels whose values, when equal, make alerts one problem; `alertname` and `service` fall back to title and service. */
  groupBy: string[];
  /** A label group joins an incident opened at most this long ago; 0 turns label grouping off. */
  windowMs: number;
}


function digest(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function labelValue(alert: Alert, label: string): string | undefined {
  if (label === 'alertname') return alert.labels.alertname ?? alert.title;
  if (label === 'service') return alert.labels.service ?? alert.service;
  return alert.labels[label];
}

/** The group an alert belongs to, or undefined when label grouping is off and the sender named none. */
export function groupOf(alert: Alert, rules: GroupingRules): AlertGroup | undefined {
  if (alert.groupKey) return { key: `sender:${digest([alert.source, alert.groupKey])}`, kind: 'sender' };
  if (rules.windowMs <= 0 || rules.groupBy.length === 0) return undefined;
  const present = rules.groupBy.flatMap((label) => {
    const value = labelValue(alert, label);
    return value === undefined ? [] : [[label, value]];
  });
  return present.length === 0 ? undefined : { key: `labels:${digest(present)}`, kind: 'labels' };
}

/** What a card lists as affected: the pod, node or host the alert is about. */
export function affectedOf(alert: Alert): string | undefined {
  const { labels } = alert;
  return alert.instance ?? labels.pod ?? labels.node ?? labels.host ?? labels.hostname ?? labels.instance;
}

/** One alert of an incident as stored (incident_alerts). */
export interface HeldAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  title: string;
  severity: string;
  service: string | null;
  instance: string | null;
  labels: Record<string, string>;
  source: string;
  messageId: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  resolvedAt: Date | null;
}

/**
 * `sender`: the monitoring tool grouped the alerts itself (Alertmanager's groupKey) — one group, one
 * incident, whatever its size or age. `labels`: our grouping by GROUP_BY, bounded by GROUP_WINDOW.
 */
export interface AlertGroup {
  key: string;
  kind: 'sender' | 'labels';
}

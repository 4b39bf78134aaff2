import type { HeldAlert } from '../domain';
const MAX_VALUES = 10;
const MAX_VARYING_LABELS = 12;

/**
 * The group as the model (and the offline engine) should read it, within a small budget: counts, first
 * and last times, the labels every alert shares, and the distinct values of the labels that vary.
 */
export function summariseGroup(alerts: HeldAlert[], budget = 2_000): string {
  if (alerts.length <= 1) return '';
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const first = new Date(Math.min(...alerts.map((a) => a.firstSeen.getTime())));
  const last = new Date(Math.max(...alerts.map((a) => a.lastSeen.getTime())));
  const values = new Map<string, Map<string, number>>();
  for (const alert of alerts) {
    for (const [label, value] of Object.entries(alert.labels)) {
      const seen = values.get(label) ?? new Map<string, number>();
      seen.set(value, (seen.get(value) ?? 0) + 1);
      values.set(label, seen);
    }
  }
  const common: string[] = [];
  const varying: string[] = [];
  for (const [label, seen] of [...values.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [only] = [...seen.keys()];
    const everywhere = [...seen.values()].reduce((sum, n) => sum + n, 0) === alerts.length;
    if (seen.size === 1 && everywhere && only !== undefined) {
      common.push(`${label}=${only}`);
    } else if (varying.length < MAX_VARYING_LABELS) {
      const shown = [...seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_VALUES).map(([v, n]) => (n > 1 ? `${v} (${n})` : v));
      const more = seen.size > MAX_VALUES ? ` and ${seen.size - MAX_VALUES} more` : '';
      varying.push(`${label}: ${shown.join(', ')}${more}`);
    }
  }
  const lines = [
    `This incident holds ${alerts.length} alerts of one group: ${firing} firing, ${alerts.length - firing} recovered; first ${first.toISOString()}, last ${last.toISOString()}.`,
    common.length ? `Labels all of them share: ${common.join(' ')}` : '',
    varying.length ? `Labels that vary:\n${varying.map((v) => `- ${v}`).join('\n')}` : '',
  ];
  const text = lines.filter(Boolean).join('\n');
  return text.length <= budget ? text : `${text.slice(0, budget - 1)}…`;
}

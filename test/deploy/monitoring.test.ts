import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportedSeries, ROOT, seriesIn, type ExportedSeries } from './deploy-support';

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string }[];
}

const rules = parse(readFileSync(`${ROOT}deploy/monitoring/ai-fixer-alerts.yaml`, 'utf8')) as RuleFile;
const dashboard = JSON.parse(readFileSync(`${ROOT}deploy/monitoring/ai-fixer-dashboard.json`, 'utf8')) as { uid: string; panels: Panel[]; templating: { list: { name: string; query?: unknown }[] } };
const alertRules = rules.groups.flatMap((g) => g.rules);
const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
const templateExprs = dashboard.templating.list.flatMap((v) => {
  const query = v.query as { query?: string } | string | undefined;
  const text = typeof query === 'string' ? query : query?.query;
  return text?.startsWith('label_values(') ? [{ panel: `variable ${v.name}`, expr: text.replace(/^label_values\(([^,)]+).*$/, '$1') }] : [];
});

describe('series the dashboard and the alert rules read', () => {
  let exported: ExportedSeries;
  beforeAll(async () => {
    exported = await exportedSeries();
  });

  it('are all exported by the running bot (its own registry, every optional part switched on)', () => {
    const used = [...alertRules.map((r) => ({ panel: `alert ${r.alert}`, expr: r.expr })), ...dashboardExprs, ...templateExprs];
    expect(used.length).toBeGreaterThan(20);
    const unknown = used.flatMap(({ panel, expr }) => seriesIn(expr).filter((name) => !exported.series.has(name)).map((name) => `${panel}: ${name}`));
    expect(unknown).toEqual([]);
  });

  it('the registry holds the families the alerts need (and a missing one would be caught)', () => {
    for (const family of ['aifixer_ready', 'aifixer_llm_circuit_open', 'aifixer_lark_send_queue_depth', 'aifixer_durability_pending', 'aifixer_deadline_overdue_seconds', 'aifixer_llm_cost_usd_total']) {
      expect(exported.families, family).toContain(family);
    }
    expect(exported.series).toContain('aifixer_step_duration_seconds_bucket');
    expect(exported.series).not.toContain('aifixer_step_duration_seconds');
  });
});

describe('the expression parser the check relies on', () => {
  it('finds series names and nothing else', () => {
    expect(seriesIn('histogram_quantile(0.95, sum by (le, step) (rate(aifixer_step_duration_seconds_bucket{job=~"$job"}[$__rate_interval])))')).toEqual(['aifixer_step_duration_seconds_bucket']);
    expect(seriesIn('sum by (a) (rate(x_total{outcome="error"}[10m])) > 0.1 * sum without (b) (rate(y_total[5m])) and on (pod) z == bool 1').sort()).toEqual(['x_total', 'y_total', 'z']);
    expect(seriesIn('absent(aifixer_ready)')).toEqual(['aifixer_ready']);
  });
});

describe('alert rules', () => {
  it('cover what the bot can get wrong by itself', () => {
    const names = alertRules.map((r) => r.alert);
    for (const needed of ['AiFixerNotReady', 'AiFixerLlmCircuitOpen', 'AiFixerLarkSendQueueGrowing', 'AiFixerDurabilityPending', 'AiFixerDeadlineSweeperBehind']) expect(names).toContain(needed);
    expect(new Set(names).size).toBe(names.length);
  });

  it('each waits a while, says how bad and what happened', () => {
    for (const rule of alertRules) {
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
    }
  });

  it('the PrometheusRule of the Kubernetes base holds the same groups', () => {
    const prometheusRule = parse(readFileSync(`${ROOT}deploy/kubernetes/base/prometheusrule.yaml`, 'utf8')) as { spec: RuleFile };
    expect(prometheusRule.spec).toEqual(rules);
  });
});

describe('Grafana dashboard', () => {
  it('shows incidents, steps, the model, Lark and locks', () => {
    const exprs = dashboardExprs.map((e) => e.expr).join('\n');
    for (const family of [
      'aifixer_open_incidents',
      'aifixer_incident_transitions_total',
      'aifixer_step_duration_seconds_bucket',
      'aifixer_llm_request_duration_seconds_bucket',
      'aifixer_llm_tokens_total',
      'aifixer_llm_cost_usd_total',
      'aifixer_llm_errors_total',
      'aifixer_lark_requests_total',
      'aifixer_lark_throttled_total',
      'aifixer_lock_wait_seconds_bucket',
    ]) {
      expect(exprs, family).toContain(family);
    }
  });

  it('has unique panel ids and every query panel reads the chosen data source', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
    expect(dashboard.templating.list.map((v) => v.name)).toContain('datasource');
  });
});

import type { Alert } from '../../domain';
import type { Targets } from '../../plugins/targets';
import { configuredNameIn } from './rules/rule';

/** Only value of a record, when there is exactly one: a single configured cluster is "the" cluster. */
function onlyKey(record: Record<string, unknown>): string | undefined {
  const keys = Object.keys(record);
  return keys.length === 1 ? keys[0] : undefined;
}

/** `checkout-7d9f8b6c5-x2x7q` → `checkout`: a Deployment's pod name is `<deployment>-<rs hash>-<pod hash>`. */
export function deploymentOfPod(pod: string): string | undefined {
  return /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod)?.[1];
}

/**
 * The values a runbook's `{{placeholders}}` are filled from: the alert's labels (as `name` and
 * `labels.name`), its service and instance, and names that only the configuration knows — the
 * configured target the alert is about, the cluster, Prometheus, the HTTP remedy. Nothing here comes
 * from a model; a missing value leaves the step unfillable rather than guessed.
 */
export function runbookValues(alert: Alert, targets: Targets): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(alert.labels)) {
    values[`labels.${name}`] = value;
    if (/^[A-Za-z][\w]*$/.test(name)) values[name] ??= value;
  }
  if (alert.service) values.service ??= alert.service;
  if (alert.instance) values.instance ??= alert.instance;
  const allNames = { ...targets.http, ...targets.postgres, ...targets.redis, ...targets.kubernetes, ...targets.hosts };
  const target = configuredNameIn(alert, allNames);
  if (target) values.target = target;
  values.cluster = configuredNameIn(alert, targets.kubernetes) ?? (typeof values.cluster === 'string' && targets.kubernetes[values.cluster] ? values.cluster : onlyKey(targets.kubernetes));
  values.prometheus ??= onlyKey(targets.prometheus);
  // Plugins take a configured host's name: an alert's host counts only when it is configured.
  const hostCandidates = [alert.labels.host, alert.labels.hostname, alert.labels.node, alert.instance?.replace(/:\d+$/, ''), alert.service];
  values.host = hostCandidates.find((name): name is string => !!name && Object.hasOwn(targets.hosts, name));
  if (typeof values.pod === 'string') values.deployment ??= deploymentOfPod(values.pod);
  const http = target ? targets.http[target] : undefined;
  const remedy = http && Object.entries(http.actions).find(([, action]) => action.remediatesUnhealthy)?.[0];
  if (remedy) values.remedy = remedy;
  for (const key of Object.keys(values)) if (values[key] === undefined) delete values[key];
  return values;
}

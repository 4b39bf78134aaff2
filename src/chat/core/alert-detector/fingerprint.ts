import { createHash } from 'node:crypto';
import type { Labels } from './label-sets';

/**
 * Labels that tell one alert from another of the same name and are printed alike in firing and
 * resolved notices. Severity, status, values, times and event ids are left out: they change
 * between the notices that must match.
 */
const IDENTITY_LABELS = [
  'alertname', 'rulename', 'namespace', 'pod', 'container', 'deployment', 'statefulset', 'daemonset', 'job_name',
  'component', 'device', 'mountpoint', 'path', 'topic', 'consumergroup', 'instanceId', 'cluster', 'region',
] as const;

export interface FingerprintParts {
  readonly source: string;
  readonly title: string;
  readonly service?: string;
  readonly instance?: string;
  /** Labels read from the message itself, not guessed from its prose. */
  readonly identityLabels: Labels;
}

/** The same alert gives the same fingerprint whether firing or resolved, however often it is posted. */
export function alertFingerprint(parts: FingerprintParts): string {
  const identity = IDENTITY_LABELS.filter((key) => parts.identityLabels[key]).map((key) => `${key}=${parts.identityLabels[key]}`);
  const key = JSON.stringify([
    parts.source.trim(),
    parts.title.replace(/\s+/g, ' ').trim(),
    parts.service?.trim() ?? '',
    parts.instance?.trim() ?? '',
    identity,
  ]);
  return `lark:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

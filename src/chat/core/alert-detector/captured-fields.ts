import { LIMITS, cap, isShown } from './limits';
import type { Labels } from './label-sets';

/** Fields read from a regular expression's named groups (templates and tool hints). */
export interface CapturedFields {
  title?: string;
  severity?: string;
  status?: string;
  service?: string;
  instance?: string;
  description?: string;
  startsAt?: string;
  endsAt?: string;
  labels: Labels;
}

const GROUP_FIELDS: Readonly<Record<string, keyof Omit<CapturedFields, 'labels'>>> = {
  title: 'title', severity: 'severity', status: 'status', service: 'service', instance: 'instance',
  description: 'description', startsAt: 'startsAt', time: 'startsAt', endsAt: 'endsAt',
};

export function capturedFrom(groups: Readonly<Record<string, string | undefined>> | undefined): CapturedFields {
  const captured: CapturedFields = { labels: {} };
  for (const [name, raw] of Object.entries(groups ?? {})) {
    const value = raw?.trim();
    if (!isShown(value)) continue;
    const field = GROUP_FIELDS[name];
    if (field) captured[field] ??= value;
    else if (name !== 'source') captured.labels[cap(name, LIMITS.labelKey)] = cap(value, LIMITS.labelValue);
  }
  return captured;
}

/** Later captures fill what earlier ones left empty. */
export function mergeCaptured(all: readonly CapturedFields[]): CapturedFields {
  const merged: CapturedFields = { labels: {} };
  for (const captured of all) {
    for (const key of Object.keys(GROUP_FIELDS)) {
      const field = GROUP_FIELDS[key];
      if (field) merged[field] ??= captured[field];
    }
    merged.labels = { ...captured.labels, ...merged.labels };
  }
  return merged;
}

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AlertSchema } from '../domain';
import type { AlertInput, Severity } from '../domain';
import { alertFingerprint } from '../domain';

/**
 * What POST /api/alerts accepts: an Alertmanager webhook payload (one alert each), or one generic
 * JSON alert shaped like AlertSchema. Everything in it is untrusted data, only mapped into fields.
 */

export interface PayloadIssue {
  path: string;
  message: string;
}

/** The payload is unusable; `issues` say where and why. Nothing was created. */
export class AlertPayloadError extends Error {
  override name = 'AlertPayloadError';
  constructor(readonly issues: PayloadIssue[]) {
    super(`The alert payload is not valid: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
  }
}

const MAX_ALERTS = 100;
const MAX_RAW = 20_000;
const MAX_DESCRIPTION = 10_000;

const Labels = z.record(z.string(), z.string()).default({});

const AlertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels,
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});
type AlertmanagerAlert = z.infer<typeof AlertmanagerAlertSchema>;

/** Alertmanager's webhook body (version 4); only the fields we read are checked. */
export const AlertmanagerPayloadSchema = z.object({
  version: z.string().optional(),
  receiver: z.string().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  /** Alertmanager's key for the notification group: its alerts are one problem. */
  groupKey: z.string().max(1_000).optional(),
  alerts: z.array(AlertmanagerAlertSchema).min(1).max(MAX_ALERTS),
  groupLabels: Labels,
  commonLabels: Labels,
  commonAnnotations: Labels,
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayloadSchema>;

/** Words monitoring tools use for severity, normalised (see ALERT-FORMATS.md); a Map so "constructor" matches nothing. */
const SEVERITY_WORDS = new Map<string, Severity>([
  ...['critical', 'crit', 'fatal', 'disaster', 'emergency', 'page', 'p0', 's1'].map((w): [string, Severity] => [w, 'critical']),
  ...['high', 'error', 'err', 'major', 'p1'].map((w): [string, Severity] => [w, 'high']),
  ...['medium', 'warning', 'warn', 'average', 'moderate', 'p2', 's2'].map((w): [string, Severity] => [w, 'medium']),
  ...['low', 'minor', 'p3'].map((w): [string, Severity] => [w, 'low']),
  ...['info', 'information', 'informational', 'none', 'ok', 'notice', 'p4', 's3'].map((w): [string, Severity] => [w, 'info']),
]);

/** A severity label as one of ours; unknown or missing words leave the default. */
export function normaliseSeverity(word: string | undefined): Severity | undefined {
  return word === undefined ? undefined : SEVERITY_WORDS.get(word.trim().toLowerCase());
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function issuesOf(error: z.ZodError, prefix: (string | number)[] = []): PayloadIssue[] {
  return error.issues.map((issue) => ({ path: [...prefix, ...issue.path].map(String).join('.'), message: issue.message }));
}

/** Same labels, same fingerprint: Alertmanager's own when given, else a hash of the sorted labels. */
function labelsFingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`);
  return createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 16);
}

function describe(annotations: Record<string, string>): string | undefined {
  const parts = [annotations.summary, annotations.description].map((p) => p?.trim()).filter((p): p is string => !!p);
  const unique = [...new Set(parts)];
  return unique.length > 0 ? cap(unique.join('\n'), MAX_DESCRIPTION) : undefined;
}

function fromAlertmanagerAlert(alert: AlertmanagerAlert, payload: AlertmanagerPayload): Record<string, unknown> {
  const labels = { ...payload.commonLabels, ...alert.labels };
  const annotations = { ...payload.commonAnnotations, ...alert.annotations };
  return {
    source: 'alertmanager',
    fingerprint: alert.fingerprint?.trim() || labelsFingerprint(labels),
    title: labels.alertname ?? annotations.summary,
    status: alert.status,
    severity: normaliseSeverity(labels.severity),
    service: labels.service ?? labels.job,
    instance: labels.instance,
    description: describe(annotations),
    labels,
    startsAt: alert.startsAt,
    groupKey: payload.groupKey?.trim() || undefined,
    raw: cap(JSON.stringify(alert), MAX_RAW),
  };
}

function validAlert(candidate: Record<string, unknown>, path: (string | number)[]): AlertInput {
  const parsed = AlertSchema.safeParse(candidate);
  if (!parsed.success) throw new AlertPayloadError(issuesOf(parsed.error, path));
  return parsed.data;
}

/** One alert per Alertmanager alert; any invalid alert rejects the whole payload, so nothing half-happens. */
export function parseAlertmanagerPayload(body: unknown): AlertInput[] {
  const parsed = AlertmanagerPayloadSchema.safeParse(body);
  if (!parsed.success) throw new AlertPayloadError(issuesOf(parsed.error));
  const payload = parsed.data;
  return payload.alerts.map((alert, i) => validAlert(fromAlertmanagerAlert(alert, payload), ['alerts', i]));
}

/** A generic alert: AlertSchema's fields, `source` defaulting to `api`, the fingerprint derived when absent. */
export function parseGenericAlert(body: Record<string, unknown>): AlertInput {
  const fields: Record<string, unknown> = { source: 'api', ...body };
  const { source, title, service } = fields;
  if (fields.fingerprint === undefined && typeof source === 'string' && typeof title === 'string') {
    fields.fingerprint = alertFingerprint(source, title, typeof service === 'string' ? service : undefined);
  }
  return validAlert(fields, []);
}

/** Alertmanager's payload when it has `alerts`, otherwise a single generic alert. */
export function parseAlertPayload(body: unknown): AlertInput[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AlertPayloadError([{ path: '', message: 'expected a JSON object: an Alertmanager webhook payload or one alert' }]);
  }
  return 'alerts' in body ? parseAlertmanagerPayload(body) : [parseGenericAlert(body as Record<string, unknown>)];
}

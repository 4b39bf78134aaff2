import { z } from 'zod';
import { VerificationCheckSchema } from '../domain';
import type { Alert } from '../domain';

export const INCIDENT_OUTCOMES = ['resolved', 'escalated', 'ignored', 'failed'] as const;

export const MemoryAlertSchema = z.object({
  title: z.string().min(1),
  /** The alert's description or message. */
  text: z.string().optional(),
  service: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
});
export type MemoryAlert = z.infer<typeof MemoryAlertSchema>;

/** What is remembered of an ended incident; stored as the knowledge entry's metadata. */
export const IncidentMemoryRecordSchema = z.object({
  incidentId: z.string().min(1),
  alert: MemoryAlertSchema,
  diagnosis: z.object({ summary: z.string(), rootCause: z.string(), category: z.string() }).nullable(),
  fix: z
    .object({
      summary: z.string(),
      steps: z.array(z.object({ pluginId: z.string(), args: z.record(z.string(), z.unknown()) })),
      /** The steps ran (approved or auto-executed); a fix never run says nothing about whether it works. */
      executed: z.boolean().default(false),
      /** The checks that verified it: with them a verified fix can be proposed again (absent in older records). */
      verification: z.array(VerificationCheckSchema).optional(),
    })
    .nullable(),
  /** How it ended; `failed`: a fix ran and did not work, and people took over. */
  outcome: z.enum(INCIDENT_OUTCOMES),
  /** The fix ran, succeeded and passed its verification. */
  fixWorked: z.boolean(),
  endedAt: z.iso.datetime({ offset: true }).optional(),
  /** When its first alert started, when the alert said (absent in older records). */
  startedAt: z.iso.datetime({ offset: true }).optional(),
  /** The post-incident summary posted in its thread (markdown, English), when one was written. */
  summary: z.string().max(4000).optional(),
});
export type IncidentMemoryRecord = z.infer<typeof IncidentMemoryRecordSchema>;
export type IncidentMemoryRecordInput = z.input<typeof IncidentMemoryRecordSchema>;
export type IncidentOutcome = (typeof INCIDENT_OUTCOMES)[number];

/** Labels that say where an alert came from or link elsewhere, not what is wrong: left out of the text. */
const NOISE_LABELS = new Set(['runbook_url', 'dashboard', 'generatorurl', 'fingerprint', 'prometheus', 'receiver', 'pod_template_hash', 'uid']);

export function memoryAlertOf(alert: Alert): MemoryAlert {
  return {
    title: alert.title,
    // `!= null`: an optional field of a context can come back as null (e.g. from a JSON round trip).
    ...(alert.description != null && { text: alert.description }),
    ...(alert.service != null && { service: alert.service }),
    labels: alert.instance != null ? { instance: alert.instance, ...alert.labels } : alert.labels,
  };
}

/**
 * The alert as text for embedding: title, service, message and label values. Label names are left
 * out because every alert has them (`alertname`, `severity`), which would pull unrelated alerts together.
 */
export function alertText(alert: Pick<MemoryAlert, 'title'> & Partial<MemoryAlert>): string {
  const values = Object.entries(alert.labels ?? {})
    .filter(([key, value]) => !NOISE_LABELS.has(key.toLowerCase()) && !/^https?:\/\//i.test(value) && value !== alert.title)
    .map(([, value]) => value);
  return [alert.title, alert.service, alert.text, values.join(' ')].filter((part) => !!part).join('\n');
}

/**
 * What an incident's vector is made from: the alert first, then what it turned out to be, so a later
 * alert (the recall query) lands near it and a symptom described in words does too.
 */
export function incidentEmbeddingText(record: IncidentMemoryRecord): string {
  const diagnosis = record.diagnosis ? [record.diagnosis.summary, record.diagnosis.rootCause, record.diagnosis.category] : [];
  return [alertText(record.alert), ...diagnosis].join('\n');
}

/** A readable account of the incident for people and the model (also the entry's `content`). */
export function incidentSummary(record: IncidentMemoryRecord): string {
  const lines = [`Alert: ${record.alert.title}${record.alert.service ? ` (service ${record.alert.service})` : ''}`];
  if (record.diagnosis) {
    lines.push(`Diagnosis [${record.diagnosis.category}]: ${record.diagnosis.summary}`, `Root cause: ${record.diagnosis.rootCause}`);
  }
  if (record.fix) {
    const steps = record.fix.steps.map((step) => `${step.pluginId} ${JSON.stringify(step.args)}`).join('; ');
    const result = record.fixWorked ? 'worked' : record.fix.executed ? 'did not work' : 'was not run';
    lines.push(`Fix (${result}): ${record.fix.summary}${steps ? ` — ${steps}` : ''}`);
  } else {
    lines.push('Fix: none proposed');
  }
  lines.push(`Outcome: ${record.outcome}`);
  if (record.summary) lines.push(`Summary: ${record.summary}`);
  return lines.join('\n');
}

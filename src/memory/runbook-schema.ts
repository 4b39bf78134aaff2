import { z } from 'zod';
import { ExpectationSchema } from '../domain';

const PluginId = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'a plugin id such as "http.probe"');
const Args = z.record(z.string(), z.unknown()).default({});
const Text = z.string().trim().min(1);
const TextList = z.array(Text).default([]);

export const RunbookStepSchema = z.object({ plugin: PluginId, args: Args }).strict();
export const RemediationStepSchema = RunbookStepSchema.extend({ summary: Text }).strict();
export const VerificationStepSchema = RunbookStepSchema.extend({ expect: z.array(ExpectationSchema).max(10).optional() }).strict();

/**
 * A runbook's YAML front matter. Every field is optional: a plain markdown file is a runbook too.
 * String args may hold `{{name}}` placeholders (`{{target}}`, `{{namespace}}`, `{{labels.pod}}` …)
 * that whoever runs a step fills from the alert and the targets.
 */
export const RunbookFrontMatterSchema = z
  .object({
    title: Text.optional(),
    /** Services the runbook is for; none means any. */
    services: TextList,
    /** Alert labels that identify the problem, e.g. `alertname: KubePodCrashLooping`; a list gives alternatives. */
    labels: z.record(Text, z.union([Text, z.array(Text).min(1)])).default({}),
    /** Words or phrases in an alert's text that point at this runbook. */
    keywords: TextList,
    category: Text.optional(),
    diagnostics: z.array(RunbookStepSchema).max(10).default([]),
    remediation: z.array(RemediationStepSchema).max(10).default([]),
    verification: z.array(VerificationStepSchema).max(10).default([]),
  })
  .strict();

export type RunbookStep = z.infer<typeof RunbookStepSchema>;
export type RemediationStep = z.infer<typeof RemediationStepSchema>;
export type VerificationStep = z.infer<typeof VerificationStepSchema>;
export type RunbookFrontMatter = z.infer<typeof RunbookFrontMatterSchema>;

export interface RunbookSteps {
  diagnostics: RunbookStep[];
  remediation: RemediationStep[];
  verification: VerificationStep[];
}

export interface Runbook extends RunbookSteps {
  /** Relative to the runbooks folder, with `/`: the runbook's identity (`runbook:<path>` in knowledge). */
  path: string;
  title: string;
  services: string[];
  labels: Record<string, string[]>;
  keywords: string[];
  category?: string;
  /** The markdown after the front matter. */
  body: string;
  /** sha256 of the whole file: an unchanged file is not embedded again. */
  hash: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g;

/** Placeholder names used in a runbook's step args, sorted. */
export function placeholdersOf(steps: RunbookSteps): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') for (const [, name] of value.matchAll(PLACEHOLDER)) names.add(name!);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  for (const step of [...steps.diagnostics, ...steps.remediation, ...steps.verification]) visit(step.args);
  return [...names].sort();
}

/**
 * Fills `{{name}}` placeholders in string args from `values`. A string that is exactly one placeholder
 * takes the value as it is (so a number stays a number); `missing` lists names without a value.
 */
export function fillPlaceholders(args: Record<string, unknown>, values: Readonly<Record<string, unknown>>): { args: Record<string, unknown>; missing: string[] } {
  const missing = new Set<string>();
  const lookup = (name: string): unknown => (Object.hasOwn(values, name) ? values[name] : undefined);
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\{\{\s*([A-Za-z][\w.]*)\s*\}\}$/.exec(value);
      if (whole) {
        const found = lookup(whole[1]!);
        if (found === undefined) missing.add(whole[1]!);
        return found ?? value;
      }
      return value.replace(PLACEHOLDER, (match, name: string) => {
        const found = lookup(name);
        if (found === undefined) missing.add(name);
        return found === undefined ? match : typeof found === 'string' ? found : JSON.stringify(found);
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item)]));
    return value;
  };
  return { args: fill(args) as Record<string, unknown>, missing: [...missing].sort() };
}

/** How a runbook is kept in knowledge metadata (the body is the entry's content). */
export const RunbookMetadataSchema = z.object({
  path: z.string(),
  services: z.array(z.string()),
  labels: z.record(z.string(), z.array(z.string())),
  keywords: z.array(z.string()),
  category: z.string().optional(),
  diagnostics: z.array(RunbookStepSchema),
  remediation: z.array(RemediationStepSchema),
  verification: z.array(VerificationStepSchema),
});
export type RunbookMetadata = z.infer<typeof RunbookMetadataSchema>;

export function runbookMetadata(runbook: Runbook): RunbookMetadata {
  const { body: _body, hash: _hash, title: _title, ...metadata } = runbook;
  return metadata;
}

const OPENING_CHARS = 400;

/**
 * What a runbook's vector is made from: what it is about (title, category, keywords, label values,
 * services) and its opening, which states the symptoms. The rest of the body is how-to prose shared by
 * every runbook ("check", "verify", "escalate"): embedding it would pull all runbooks together.
 */
export function runbookEmbeddingText(runbook: Runbook): string {
  const labels = Object.values(runbook.labels).flat();
  const opening = runbook.body.replace(/^#[^\n]*\n/, '').trim().slice(0, OPENING_CHARS);
  return [runbook.title, runbook.category, runbook.services.join(' '), runbook.keywords.join(', '), labels.join(' '), opening]
    .filter((part) => !!part)
    .join('\n');
}

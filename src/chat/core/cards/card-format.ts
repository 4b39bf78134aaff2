import type { Diagnosis, OwnNote, Risk, Severity, StepOutcome, VerificationOutcome } from '../../../domain';
import { SEVERITIES } from '../../../domain';
import { CATALOG, type MessageKey, type Translator } from '../../../i18n';
import type { CardTone } from '../card';
import { escapeMarkdown } from './untrusted-text';

export const LIMITS = { title: 300, description: 800, text: 600, evidence: 300, items: 10 } as const;

export const TONE_BY_SEVERITY: Record<Severity, CardTone> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'blue',
  info: 'grey',
};

export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

const SEVERITY_WORDS = {
  critical: 'card.severity.critical',
  high: 'card.severity.high',
  medium: 'card.severity.medium',
  low: 'card.severity.low',
  info: 'card.severity.info',
} as const satisfies Record<Severity, MessageKey>;

const RISK_WORDS = {
  'read-only': 'card.risk.read-only',
  low: 'card.risk.low',
  medium: 'card.risk.medium',
  high: 'card.risk.high',
  critical: 'card.risk.critical',
} as const satisfies Record<Risk, MessageKey>;

const EVIDENCE_STATUS_WORDS = {
  success: 'card.evidence.success',
  error: 'card.evidence.error',
  no_data: 'card.evidence.no_data',
} as const satisfies Record<Diagnosis['evidence'][number]['status'], MessageKey>;

const STEP_STATUS_WORDS = {
  success: 'card.step.success',
  error: 'card.step.error',
  no_data: 'card.step.no_data',
  unknown: 'card.step.unknown',
} as const satisfies Record<StepOutcome['status'], MessageKey>;

/** "critical" / "严重". */
export function severityWord(tr: Translator, severity: Severity): string {
  return tr.t(SEVERITY_WORDS[severity]);
}

/** What a title leads with: `CRITICAL` / `严重`. */
export function severityTag(tr: Translator, severity: Severity): string {
  return severityWord(tr, severity).toLocaleUpperCase(tr.language);
}

export function riskWord(tr: Translator, risk: Risk): string {
  return tr.t(RISK_WORDS[risk]);
}

/** How a diagnostic check came back: "success" / "成功". */
export function evidenceStatusWord(tr: Translator, status: Diagnosis['evidence'][number]['status']): string {
  return tr.t(EVIDENCE_STATUS_WORDS[status]);
}

/** How a remediation step ended: "unknown" / "结果未知". */
export function stepStatusWord(tr: Translator, status: StepOutcome['status']): string {
  return tr.t(STEP_STATUS_WORDS[status]);
}

/**
 * A step's or check's summary as a reader sees it: our own note from the catalog in their language, else the
 * summary as it came (a plugin's words are shown as they are, escaped).
 */
export function summaryText(tr: Translator, outcome: { summary: string; note?: OwnNote }, max: number): string {
  const key = outcome.note?.key;
  if (key !== undefined && key in CATALOG) return escapeMarkdown(tr.t(key as MessageKey, outcome.note?.values), max);
  return escapeMarkdown(outcome.summary, max);
}

export function bulletList(tr: Translator, lines: string[]): string {
  const shown = lines.slice(0, LIMITS.items).map((line) => `- ${line}`);
  if (lines.length > LIMITS.items) shown.push(`- ${tr.t('card.list.more', { more: lines.length - LIMITS.items })}`);
  return shown.join('\n');
}

/** A bold heading the bot writes, then its content: `**Summary**\n…`. */
export function headed(heading: string, content: string): string {
  return `**${heading}**\n${content}`;
}

/** How the fix's checks went, a line each. */
export function verificationSection(verification: VerificationOutcome, tr: Translator): string {
  const checks = verification.checks.map((c) =>
    tr.t('card.outcome.check', { plugin: escapeMarkdown(c.pluginId, 100), passed: c.passed ? 'yes' : 'no', summary: summaryText(tr, c, LIMITS.evidence) }),
  );
  return headed(tr.t('card.outcome.verification'), bulletList(tr, checks));
}

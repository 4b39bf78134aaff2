import type { Risk, Severity } from '../../../domain';
import { SEVERITIES } from '../../../domain';
import type { Translator } from '../../../i18n';
import type { CardTone } from '../card';

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

/** "critical" / "严重". */
export function severityWord(tr: Translator, severity: Severity): string {
  return tr.t(`card.severity.${severity}`);
}

/** What a title leads with: `CRITICAL` / `严重`. */
export function severityTag(tr: Translator, severity: Severity): string {
  return severityWord(tr, severity).toLocaleUpperCase(tr.language);
}

export function riskWord(tr: Translator, risk: Risk): string {
  return tr.t(`card.risk.${risk}`);
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

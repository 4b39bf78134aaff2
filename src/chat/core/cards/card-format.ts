import type { Severity } from '../../../domain';
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

export function bulletList(lines: string[]): string {
  const shown = lines.slice(0, LIMITS.items).map((line) => `- ${line}`);
  if (lines.length > LIMITS.items) shown.push(`- … and ${lines.length - LIMITS.items} more`);
  return shown.join('\n');
}

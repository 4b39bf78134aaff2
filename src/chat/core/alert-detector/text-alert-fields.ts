import { readSeverity } from './severity';
import type { Alert, Severity } from '../../../domain';

/**
 * What a pasted alert says about itself in `key: value` lines or words: `severity: P1`,
 * `Level Status: S3 Triggered` (Nightingale), `Rule Name: Disk usage high`. Every pattern here is
 * bounded (no nested quantifiers): the text comes from outside.
 */

const SEVERITY_KEYS = new Set(['severity', 'sev', 'level', 'priority', 'level status', 'alert level', '告警级别', '级别状态', '级别']);
const TITLE_KEYS = new Set(['rule name', 'alert name', 'alertname', '规则名称', '告警名称']);
/** Label names whose value is a severity: `severity=critical`, `(level=P1)`. */
export const SEVERITY_LABELS = ['severity', 'level', 'priority', 'sev'] as const;

const FIELD_LINE = /^[ \t]*([A-Za-z][A-Za-z ]{0,29}|[\u4e00-\u9fff]{1,8})[ \t]*[:：][ \t]*([^\n]{1,300})$/;
/** `severity: P1` inside a line of prose. */
const INLINE_SEVERITY = /(^|\s)(severity|priority|level)[ \t]*[:：][ \t]*([A-Za-z0-9]{1,20})(?=\s|$)/i;
const RECOVERED = /\b(recovered|resolved|ok)\b|恢复/i;

export interface TextFields {
  severity?: Severity;
  status?: Alert['status'];
  /** A rule or alert name given as a field: a better title than a `Level Status:` headline. */
  title?: string;
}

function fieldOf(line: string): { key: string; value: string } | undefined {
  const match = FIELD_LINE.exec(line);
  if (!match) return undefined;
  return { key: (match[1] ?? '').trim().toLowerCase().replace(/[ \t]+/g, ' '), value: (match[2] ?? '').trim() };
}

/** Severity, status and title from the `key: value` lines of an alert's text. */
export function readTextFields(lines: readonly string[]): TextFields {
  const found: TextFields = {};
  for (const line of lines) {
    const field = fieldOf(line);
    if (!field) continue;
    if (SEVERITY_KEYS.has(field.key) && !found.severity) {
      found.severity = readSeverity(field.value)?.severity;
      if (field.key === 'level status' || field.key === '级别状态') found.status = RECOVERED.test(field.value) ? 'resolved' : 'firing';
    } else if (TITLE_KEYS.has(field.key) && !found.title) {
      found.title = field.value;
    }
  }
  return found;
}

/** A headline that is itself a severity field (`Level Status: S3 Triggered`) names no problem. */
export function isSeverityField(line: string): boolean {
  const field = fieldOf(line);
  return !!field && SEVERITY_KEYS.has(field.key);
}

/** `severity: P1` written inside the headline: its severity, and the headline without it. */
export function inlineSeverity(headline: string): { severity?: Severity; rest: string } {
  const match = INLINE_SEVERITY.exec(headline);
  const severity = match ? readSeverity(match[3] ?? '')?.severity : undefined;
  if (!match || !severity) return { rest: headline };
  return { severity, rest: `${headline.slice(0, match.index)}${match[1] ?? ''}${headline.slice(match.index + match[0].length)}` };
}

/** The first label that holds a severity word. */
export function labelSeverity(labels: Readonly<Record<string, string>>): Severity | undefined {
  for (const name of SEVERITY_LABELS) {
    const value = Object.hasOwn(labels, name) ? labels[name] : undefined;
    const severity = value === undefined ? undefined : readSeverity(value)?.severity;
    if (severity) return severity;
  }
  return undefined;
}

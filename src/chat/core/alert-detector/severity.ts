import type { Severity } from '../../../domain';

/**
 * Severity words tools print, normalised per ALERT-FORMATS.md. Bare digits are PrometheusAlert's
 * `level` (0 信息 … 4 灾难); S1–S3 are Nightingale's, P0–P2 WatchAlert's.
 */
const SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'critical', crit: 'critical', fatal: 'critical', disaster: 'critical', emergency: 'critical',
  灾难: 'critical', 致命: 'critical', 紧急: 'critical', s1: 'critical', p0: 'critical',
  high: 'high', error: 'high', err: 'high', major: 'high', 严重: 'high', 高: 'high', p1: 'high',
  warning: 'medium', warn: 'medium', average: 'medium', medium: 'medium', moderate: 'medium', 一般严重: 'medium',
  一般: 'medium', 警告: 'medium', 中: 'medium', s2: 'medium', p2: 'medium',
  low: 'low', minor: 'low', 提醒: 'low', 低: 'low', p3: 'low',
  info: 'info', information: 'info', informational: 'info', none: 'info', 信息: 'info', 通知: 'info', s3: 'info', p4: 'info',
};
const LEVEL_DIGITS: Readonly<Record<string, Severity>> = { '0': 'info', '1': 'low', '2': 'medium', '3': 'high', '4': 'critical' };

/** Upper-case severity words standing alone in prose, as `… 7.3% CRITICAL GeneratorURL`. */
const SHOUTED_SEVERITY = /(?<![\p{L}\p{N}_])(CRITICAL|FATAL|DISASTER|EMERGENCY|ERROR|WARNING|WARN|HIGH|MAJOR|MINOR|INFO)(?![\p{L}\p{N}_])/u;

export type SeverityScale = Readonly<Record<string, Severity>>;

export interface SeverityReading {
  readonly severity: Severity;
  /** The word as shown, kept as a label. */
  readonly shown: string;
}

/** A severity field's value (`WARNING`, `S2 Triggered`, `P0`, `4`, `严重`), read with an optional tool scale. */
export function readSeverity(value: string, scale?: SeverityScale): SeverityReading | undefined {
  const whole = value.trim();
  const lower = whole.toLowerCase();
  const direct = scale?.[lower] ?? SEVERITY_WORDS[lower] ?? LEVEL_DIGITS[lower];
  if (direct) return { severity: direct, shown: whole };
  for (const token of whole.split(/[\s,;/|()（）[\]【】:：•]+/)) {
    const word = token.toLowerCase();
    const severity = scale?.[word] ?? SEVERITY_WORDS[word];
    if (severity) return { severity, shown: token };
  }
  return undefined;
}

export function shoutedSeverity(text: string, scale?: SeverityScale): SeverityReading | undefined {
  const word = SHOUTED_SEVERITY.exec(text)?.[1];
  return word ? readSeverity(word, scale) : undefined;
}

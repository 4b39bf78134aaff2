export type AlertStatus = 'firing' | 'resolved';

/**
 * Firing/resolved vocabulary. Negations are checked first (`未恢复` contains `恢复`, `TO BE RESOLVED`
 * contains `RESOLVED`), then resolved words (`告警已恢复` contains `告警`), then firing words.
 */
const STILL_FIRING = /未恢复|未解决|尚未恢复|\bnot\s+(?:yet\s+)?(?:resolved|recovered)\b|\bto\s+be\s+resolved\b|\bunresolved\b|\bnot\s+end\b/i;
const RESOLVED = /\b(?:resolved|recovered|recovery|cleared)\b|恢复|已解决|已消除|解除告警|告警解除/i;
const FIRING = /\b(?:firing|triggered|problem|alerting|alarm|outage)\b|告警中|报警中|触发|故障|异常|未处理/i;

/** Short words that are a status only when they stand alone: `[UP]`, `Status: OK`, `ALiYun ALERT信息`. */
const STATUS_TOKENS: Readonly<Record<string, AlertStatus>> = {
  ok: 'resolved', up: 'resolved', normal: 'resolved', healthy: 'resolved', 正常: 'resolved', 已恢复: 'resolved',
  down: 'firing', alert: 'firing', alarm: 'firing', failed: 'firing', failing: 'firing', fail: 'firing', error: 'firing', insufficientdata: 'firing', 告警: 'firing', 报警: 'firing',
};

export function statusFromPhrase(text: string): AlertStatus | undefined {
  if (STILL_FIRING.test(text)) return 'firing';
  if (RESOLVED.test(text)) return 'resolved';
  if (FIRING.test(text)) return 'firing';
  return undefined;
}

/** A status field's value or a standalone word; whole-value tokens first, then phrases. */
export function statusFromValue(value: string): AlertStatus | undefined {
  const token = value
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
  return STATUS_TOKENS[token] ?? statusFromPhrase(value);
}

/** A key that is itself a status word, as in `FIRING: DiskFull` or `RESOLVED: DiskFull`. */
export function statusOfKey(key: string): AlertStatus | undefined {
  return /^(?:firing|resolved|triggered|recovered|problem|ok|告警|报警|恢复|已恢复)$/i.test(key.trim()) ? statusFromValue(key) : undefined;
}

export interface StatusCounts {
  readonly firing: number;
  readonly resolved: number;
}

/** Counts in a grouped notice's header: `告警中:2/已恢复:1`, `[2] Firing`, `[FIRING:1]`, `Resolved:1`. */
export function statusCounts(text: string): StatusCounts | undefined {
  const firing = count(text, [/(?:告警中|触发中|firing)\s*[:：]\s*(\d+)/i, /\[(\d+)\]\s*firing/i]);
  const resolved = count(text, [/(?:已恢复|resolved)\s*[:：]\s*(\d+)/i, /\[(\d+)\]\s*resolved/i]);
  return firing === undefined && resolved === undefined ? undefined : { firing: firing ?? 0, resolved: resolved ?? 0 };
}

function count(text: string, patterns: readonly RegExp[]): number | undefined {
  for (const pattern of patterns) {
    const digits = pattern.exec(text)?.[1];
    if (digits) return Number(digits);
  }
  return undefined;
}

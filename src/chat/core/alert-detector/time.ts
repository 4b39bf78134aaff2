/**
 * Date-times as tools print them (`2025-03-14T02:17:45.123Z`, `2025.03.14 14:21:07`, `2025/3/14 16:42:18`,
 * `2025-03-14 02:31:07 +0000 UTC`, `… (UTC+08:00)`, `14:21:07 on 2025.03.14`), as ISO 8601 with an
 * offset. A time without a zone is local to the team: +08:00 unless a zone is named.
 */
export const DEFAULT_OFFSET = '+08:00';

const DATE_TIME = new RegExp(
  String.raw`(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?(?:T|\s+|(?=\d{1,2}:))(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?` +
    String.raw`(?:\s*(Z\b|[+-]\d{2}:?\d{2}\b|\(?(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?\)?|\(?(?:UTC|GMT)\)?|CST\b|\(?[A-Za-z]+/[A-Za-z_]+\)?))?`,
  'g',
);
/** Zabbix: `{EVENT.TIME} on {EVENT.DATE}`. */
const TIME_ON_DATE = /(\d{1,2}):(\d{2})(?::(\d{2}))?\s+on\s+(\d{4})[./-](\d{1,2})[./-](\d{1,2})/g;

/** Every date-time in the text, in order. */
export function findDateTimes(text: string, zoneHint?: string): string[] {
  const found: { at: number; iso: string }[] = [];
  for (const m of text.matchAll(DATE_TIME)) {
    const iso = toIso([m[1], m[2], m[3], m[4], m[5], m[6]], m[7], m[8] ?? zoneHint);
    if (iso) found.push({ at: m.index, iso });
  }
  for (const m of text.matchAll(TIME_ON_DATE)) {
    const iso = toIso([m[4], m[5], m[6], m[1], m[2], m[3]], undefined, zoneHint);
    if (iso) found.push({ at: m.index, iso });
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.iso);
}

export function parseDateTime(text: string, zoneHint?: string): string | undefined {
  return findDateTimes(text, zoneHint)[0];
}

/** `start ~ end` as printed by Alertmanager bridges; `end` is absent while the alert still fires. */
export function parseRange(line: string): { start?: string; end?: string; openEnded: boolean } | undefined {
  const parts = line.split(/\s+(?:~|～|至|to)\s+/);
  if (parts.length !== 2) return undefined;
  const start = parseDateTime(parts[0] ?? '');
  if (!start) return undefined;
  const end = parseDateTime(parts[1] ?? '');
  return end ? { start, end, openEnded: false } : { start, openEnded: true };
}

function toIso(parts: readonly (string | undefined)[], fraction: string | undefined, zone: string | undefined): string | undefined {
  const [year, month, day, hour, minute, second] = parts.map((part) => Number(part ?? 0));
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) return undefined;
  if (year < 1971 || year > 2999 || hour > 23 || minute > 59 || second > 59) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  const offset = offsetOf(zone, Date.UTC(year, month - 1, day, hour, minute, second));
  if (offset === undefined) return undefined;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const frac = fraction ? `.${fraction}` : '';
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${frac}${offset}`;
}

function offsetOf(zone: string | undefined, wallClockAsUtc: number): string | undefined {
  const spec = zone?.replace(/[()\s]/g, '');
  if (!spec) return DEFAULT_OFFSET;
  if (spec === 'Z') return 'Z';
  const numeric = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(spec);
  if (numeric) return formatOffset(numeric[1] ?? '+', Number(numeric[2]), Number(numeric[3] ?? 0));
  if (/^(?:UTC|GMT)$/i.test(spec)) return '+00:00';
  // China Standard Time: the doc's local zone, not US Central.
  if (/^CST$/i.test(spec)) return DEFAULT_OFFSET;
  return ianaOffset(spec, wallClockAsUtc) ?? DEFAULT_OFFSET;
}

function formatOffset(sign: string, hours: number, minutes: number): string | undefined {
  if (hours > 14 || minutes > 59) return undefined;
  return `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Offset of an IANA zone (`Asia/Shanghai`) near the given time, from the runtime's zone data. */
function ianaOffset(zone: string, at: number): string | undefined {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(at))
      .find((part) => part.type === 'timeZoneName')?.value;
    if (name === 'GMT') return '+00:00';
    const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name ?? '');
    return match ? formatOffset(match[1] ?? '+', Number(match[2]), Number(match[3])) : undefined;
  } catch {
    return undefined;
  }
}

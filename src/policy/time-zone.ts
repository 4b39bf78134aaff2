/** Wall clocks in IANA time zones from Intl alone: offsets, and a local time back to an instant. */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function isTimeZone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes the zone is ahead of UTC at `ms`. */
export function offsetMinutes(timezone: string, ms: number): number {
  const parts = Object.fromEntries(formatter(timezone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((local - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** The zone's wall clock at `ms`, as milliseconds on a UTC-reading clock (read it with getUTC*). */
export function toLocalMs(timezone: string, ms: number): number {
  return ms + offsetMinutes(timezone, ms) * MINUTE_MS;
}

/**
 * The instant the zone's wall clock reads `localMs`. In a spring-forward gap the time does not exist and
 * the instant an hour later is returned; in a fall-back overlap, the first of the two.
 */
export function fromLocalMs(timezone: string, localMs: number): number {
  const before = localMs - offsetMinutes(timezone, localMs - DAY_MS) * MINUTE_MS;
  if (toLocalMs(timezone, before) === localMs) return before;
  const after = localMs - offsetMinutes(timezone, localMs + DAY_MS) * MINUTE_MS;
  if (toLocalMs(timezone, after) === localMs) return after;
  // No instant reads localMs (a gap): the wall clock jumped over it; take the moment it resumes.
  return localMs - offsetMinutes(timezone, localMs - DAY_MS) * MINUTE_MS;
}

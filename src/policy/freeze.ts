import { cronMatches, parseCron } from './cron';
import type { Cron, WallClock } from './cron';
import { MINUTE_MS, offsetMinutes } from './time-zone';

/** A change freeze: from each cron match, for `durationMs`, in a time zone; or one fixed span. */
export type FreezeWindow =
  | { name: string; cron: string; durationMs: number; timezone: string }
  | { name: string; from: Date; to: Date };

export interface ActiveFreeze {
  name: string;
  until: Date;
}

const MINUTE = MINUTE_MS;
const QUARTER_HOUR = 15 * MINUTE;

/** Wall clock in the zone. Offsets change only on quarter hours, so one lookup serves each quarter. */
function wallClocks(timezone: string) {
  const cache = new Map<number, number>();
  return (ms: number): WallClock => {
    const block = Math.floor(ms / QUARTER_HOUR);
    let offset = cache.get(block);
    if (offset === undefined) cache.set(block, (offset = offsetMinutes(timezone, block * QUARTER_HOUR)));
    const local = new Date(ms + offset * MINUTE);
    return { minute: local.getUTCMinutes(), hour: local.getUTCHours(), day: local.getUTCDate(), month: local.getUTCMonth() + 1, weekday: local.getUTCDay() };
  };
}

const parsed = new Map<string, Cron>();
function cronOf(expression: string): Cron {
  let cron = parsed.get(expression);
  if (!cron) parsed.set(expression, (cron = parseCron(expression)));
  return cron;
}

/** The freeze in force at `now`, if any: the one that lasts longest. */
export function activeFreeze(freezes: readonly FreezeWindow[], now: Date): ActiveFreeze | undefined {
  let active: ActiveFreeze | undefined;
  for (const freeze of freezes) {
    const until = 'cron' in freeze ? cronFreezeEnd(freeze, now.getTime()) : fixedFreezeEnd(freeze, now.getTime());
    if (until !== undefined && (!active || until > active.until.getTime())) active = { name: freeze.name, until: new Date(until) };
  }
  return active;
}

function fixedFreezeEnd(freeze: { from: Date; to: Date }, now: number): number | undefined {
  return now >= freeze.from.getTime() && now < freeze.to.getTime() ? freeze.to.getTime() : undefined;
}

/** The latest window start in (now - duration, now], walking back minute by minute. */
function cronFreezeEnd(freeze: { cron: string; durationMs: number; timezone: string }, now: number): number | undefined {
  const cron = cronOf(freeze.cron);
  const clock = wallClocks(freeze.timezone);
  for (let start = Math.floor(now / MINUTE) * MINUTE; start > now - freeze.durationMs; start -= MINUTE) {
    if (cronMatches(cron, clock(start))) return start + freeze.durationMs;
  }
  return undefined;
}

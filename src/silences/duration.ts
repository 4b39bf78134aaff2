import { SilenceInputError } from './matchers';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
export const MAX_SILENCE_MS = 30 * 86_400_000;
const DURATION = /^(\d{1,4})([mhd])$/;

/** `30m`, `2h`, `1d` → milliseconds; at least a minute, at most 30 days. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim().toLowerCase());
  if (!match) throw new SilenceInputError(`"${text.slice(0, 20)}" is not a duration: write e.g. 30m, 2h or 1d.`);
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  if (ms < UNIT_MS.m!) throw new SilenceInputError('A silence lasts at least 1m.');
  if (ms > MAX_SILENCE_MS) throw new SilenceInputError('A silence lasts at most 30d.');
  return ms;
}

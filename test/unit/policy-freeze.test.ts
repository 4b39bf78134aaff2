import { describe, expect, it } from 'vitest';
import { CronError, cronMatches, parseCron } from '../../src/policy/cron';
import { activeFreeze } from '../../src/policy/freeze';
import type { FreezeWindow } from '../../src/policy/freeze';

const at = (minute: number, hour: number, day: number, month: number, weekday: number) => ({ minute, hour, day, month, weekday });

describe('cron expressions', () => {
  it.each<[string, ReturnType<typeof at>, boolean]>([
    ['0 18 * * fri', at(0, 18, 27, 11, 5), true],
    ['0 18 * * fri', at(1, 18, 27, 11, 5), false],
    ['0 18 * * 5', at(0, 18, 28, 11, 6), false],
    ['*/15 9-17 * * mon-fri', at(45, 17, 2, 3, 1), true],
    ['*/15 9-17 * * mon-fri', at(50, 17, 2, 3, 1), false],
    ['0 0 1 jan *', at(0, 0, 1, 1, 4), true],
    ['0 0 * * 7', at(0, 0, 3, 5, 0), true],
    // Both day fields restricted: either matches, as in cron.
    ['0 0 13 * fri', at(0, 0, 13, 2, 2), true],
    ['0 0 13 * fri', at(0, 0, 14, 2, 5), true],
    ['0 0 13 * fri', at(0, 0, 14, 2, 4), false],
    ['5,35 * * * *', at(35, 3, 9, 9, 3), true],
  ])('%s at %o → %s', (expression, clock, expected) => {
    expect(cronMatches(parseCron(expression), clock)).toBe(expected);
  });

  it.each([
    ['0 18 * *', /expected 5 fields/],
    ['60 * * * *', /minute: "60" is not between 0 and 59/],
    ['0 18 * * funday', /day of week: "funday"/],
    ['0 9-5 * * *', /hour: range "9-5" runs backwards/],
    ['*/0 * * * *', /bad step/],
  ])('refuses %s', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronError);
    expect(() => parseCron(expression)).toThrow(message);
  });
});

describe('freeze windows', () => {
  const weekend: FreezeWindow = { name: 'weekend', cron: '0 18 * * fri', durationMs: 62 * 3_600_000, timezone: 'Europe/Berlin' };

  it.each<[string, string, string | undefined]>([
    ['Friday 17:59 Berlin (16:59 UTC): not yet', '2026-11-27T16:59:00Z', undefined],
    ['Friday 18:00 Berlin: begins', '2026-11-27T17:00:00Z', '2026-11-30T07:00:00.000Z'],
    ['Sunday: in force', '2026-11-29T12:00:00Z', '2026-11-30T07:00:00.000Z'],
    ['Monday 08:00 Berlin: over', '2026-11-30T07:00:00Z', undefined],
  ])('%s', (_name, now, until) => {
    expect(activeFreeze([weekend], new Date(now))?.until.toISOString()).toBe(until);
  });

  it('follows the zone across a daylight-saving change (Berlin is UTC+2 in summer)', () => {
    expect(activeFreeze([weekend], new Date('2026-06-26T16:00:00Z'))?.name).toBe('weekend');
    expect(activeFreeze([weekend], new Date('2026-06-26T15:59:00Z'))).toBeUndefined();
  });

  it('handles zones a quarter hour off the hour', () => {
    const kathmandu: FreezeWindow = { name: 'nightly', cron: '30 2 * * *', durationMs: 3_600_000, timezone: 'Asia/Kathmandu' };
    // 02:30 in Kathmandu (UTC+5:45) is 20:45 UTC the day before.
    expect(activeFreeze([kathmandu], new Date('2026-11-24T20:45:00Z'))?.until.toISOString()).toBe('2026-11-24T21:45:00.000Z');
    expect(activeFreeze([kathmandu], new Date('2026-11-24T20:44:00Z'))).toBeUndefined();
  });

  it('a fixed window is in force from its start until (not including) its end; the longest wins', () => {
    const release: FreezeWindow = { name: 'release', from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-03T00:00:00Z') };
    const longer: FreezeWindow = { name: 'year-end', from: new Date('2026-12-02T00:00:00Z'), to: new Date('2027-01-02T00:00:00Z') };
    expect(activeFreeze([release, longer], new Date('2026-12-01T00:00:00Z'))?.name).toBe('release');
    expect(activeFreeze([release, longer], new Date('2026-12-02T12:00:00Z'))?.name).toBe('year-end');
    expect(activeFreeze([release], new Date('2026-12-03T00:00:00Z'))).toBeUndefined();
  });
});

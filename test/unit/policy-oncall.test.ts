import { describe, expect, it } from 'vitest';
import { onCallAt, onCallFor } from '../../src/policy/oncall';
import { parsePolicy } from '../../src/policy/policy-rules';

const oncallOf = (oncall: unknown) => parsePolicy({ oncall }, 'test').oncall;
const person = (id: string) => ({ kind: 'person', id });
const at = (iso: string) => new Date(iso);

const weekly = oncallOf({
  roles: {
    operator: {
      rotation: { every: 'week', handoff: 'Mon 10:00', timezone: 'Asia/Shanghai', people: ['ou_a', 'ou_b', 'ou_c'], start: '2026-01-05' },
    },
  },
});

describe('a weekly rotation', () => {
  it('hands over on the hand-off minute of the zone, not of UTC', () => {
    // Monday 2026-01-05 10:00 in Shanghai is 02:00 UTC; the first person starts then.
    expect(onCallAt(weekly, 'operator', at('2026-01-05T01:59:59Z'))).toEqual({ now: [person('ou_c')], next: [person('ou_a')], until: at('2026-01-05T02:00:00Z') });
    expect(onCallAt(weekly, 'operator', at('2026-01-05T02:00:00Z'))).toEqual({ now: [person('ou_a')], next: [person('ou_b')], until: at('2026-01-12T02:00:00Z') });
    expect(onCallAt(weekly, 'operator', at('2026-01-14T20:00:00Z'))?.now).toEqual([person('ou_b')]);
    // Sunday evening in Shanghai is still Sunday: three weeks on, the turn is back to the first.
    expect(onCallAt(weekly, 'operator', at('2026-01-26T01:00:00Z'))).toMatchObject({ now: [person('ou_c')], until: at('2026-01-26T02:00:00Z') });
    expect(onCallAt(weekly, 'operator', at('2026-01-26T02:00:00Z'))?.now).toEqual([person('ou_a')]);
  });

  it('counts from the first hand-off day on or after start', () => {
    const rules = oncallOf({ roles: { operator: { rotation: { handoff: 'Fri 18:30', timezone: 'UTC', people: ['ou_a', 'ou_b'], start: '2026-03-02' } } } });
    // 2026-03-02 is a Monday: the first Friday hand-off is 2026-03-06 18:30.
    expect(onCallAt(rules, 'operator', at('2026-03-06T18:30:00Z'))).toEqual({ now: [person('ou_a')], next: [person('ou_b')], until: at('2026-03-13T18:30:00Z') });
  });

  it('keeps the wall-clock hand-off across a daylight-saving change', () => {
    const rules = oncallOf({ roles: { operator: { rotation: { handoff: 'Mon 10:00', timezone: 'Europe/Berlin', people: ['ou_a', 'ou_b'] } } } });
    // Berlin moves to summer time on 2026-03-29: 10:00 is 09:00 UTC before and 08:00 UTC after.
    expect(onCallAt(rules, 'operator', at('2026-03-25T12:00:00Z'))?.until).toEqual(at('2026-03-30T08:00:00Z'));
    expect(onCallAt(rules, 'operator', at('2026-03-20T12:00:00Z'))?.until).toEqual(at('2026-03-23T09:00:00Z'));
    // And back on 2026-10-25.
    expect(onCallAt(rules, 'operator', at('2026-10-20T12:00:00Z'))?.until).toEqual(at('2026-10-26T09:00:00Z'));
  });
});

describe('a daily rotation', () => {
  it('hands over at a time the spring-forward gap skips as soon as the clock resumes', () => {
    const rules = oncallOf({ roles: { operator: { rotation: { every: 'day', handoff: '02:30', timezone: 'Europe/Berlin', people: ['ou_a', 'ou_b'] } } } });
    // 02:30 does not exist in Berlin on 2026-03-29: the clock jumps from 02:00 CET to 03:00 CEST (01:00 UTC).
    expect(onCallAt(rules, 'operator', at('2026-03-28T12:00:00Z'))?.until).toEqual(at('2026-03-29T01:30:00Z'));
    expect(onCallAt(rules, 'operator', at('2026-03-29T12:00:00Z'))?.until).toEqual(at('2026-03-30T00:30:00Z'));
  });

  it('with one person never hands over', () => {
    const rules = oncallOf({ roles: { operator: { rotation: { every: 'day', handoff: '09:00', people: ['ou_a'] } } } });
    expect(onCallAt(rules, 'operator', at('2026-05-01T00:00:00Z'))).toEqual({ now: [person('ou_a')] });
  });
});

describe('overrides', () => {
  const rules = oncallOf({
    roles: {
      operator: {
        rotation: { handoff: 'Mon 10:00', timezone: 'Asia/Shanghai', people: ['ou_a', 'ou_b'], start: '2026-01-05' },
        overrides: [
          { from: '2026-01-07T10:00:00+08:00', to: '2026-01-09T10:00:00+08:00', people: ['ou_z'] },
          { from: '2026-01-08T00:00:00+08:00', to: '2026-01-08T12:00:00+08:00', people: ['oc_team'] },
        ],
      },
    },
  });

  it('take over for their span, a later one winning where they overlap', () => {
    expect(onCallAt(rules, 'operator', at('2026-01-06T00:00:00Z'))).toEqual({ now: [person('ou_a')], next: [person('ou_z')], until: at('2026-01-07T02:00:00Z') });
    expect(onCallAt(rules, 'operator', at('2026-01-07T12:00:00Z'))).toEqual({ now: [person('ou_z')], next: [{ kind: 'chat', id: 'oc_team' }], until: at('2026-01-07T16:00:00Z') });
    expect(onCallAt(rules, 'operator', at('2026-01-08T01:00:00Z'))).toEqual({ now: [{ kind: 'chat', id: 'oc_team' }], next: [person('ou_z')], until: at('2026-01-08T04:00:00Z') });
    expect(onCallAt(rules, 'operator', at('2026-01-08T06:00:00Z'))).toEqual({ now: [person('ou_z')], next: [person('ou_a')], until: at('2026-01-09T02:00:00Z') });
  });
});

describe('roles and the default', () => {
  const rules = oncallOf({ default: { people: ['ou_d', 'oc_sre'] }, roles: { admin: { people: ['ou_x'] } } });

  it('uses the role entry, else the default; fixed people have no hand-off', () => {
    expect(onCallAt(rules, 'admin', at('2026-01-01T00:00:00Z'))).toEqual({ now: [person('ou_x')] });
    expect(onCallAt(rules, 'operator', at('2026-01-01T00:00:00Z'))).toEqual({ now: [person('ou_d'), { kind: 'chat', id: 'oc_sre' }] });
    expect(onCallAt(oncallOf({}), 'operator', at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('gathers everyone on call for several roles once', () => {
    expect(onCallFor(rules, ['admin', 'operator', 'viewer'], at('2026-01-01T00:00:00Z')).map((m) => m.id)).toEqual(['ou_x', 'ou_d', 'oc_sre']);
    expect(onCallFor(oncallOf({}), ['admin'], at('2026-01-01T00:00:00Z'))).toEqual([]);
  });

  it('defaults: mention the on-call, urgent in the app for high and critical, no SMS or phone', () => {
    expect(oncallOf({})).toEqual({ roles: {}, mention: 'oncall', urgent: { app: ['high', 'critical'], sms: [], phone: [] } });
  });
});

describe('roster validation names the entry', () => {
  it.each<[string, unknown, RegExp]>([
    ['a bad hand-off', { roles: { operator: { rotation: { handoff: 'Monday 25:00', people: ['ou_a'] } } } }, /oncall\.roles\.operator\.rotation\.handoff: expected a weekly hand-off such as "Mon 10:00"/],
    ['a daily hand-off with a day', { roles: { operator: { rotation: { every: 'day', handoff: 'Mon 10:00', people: ['ou_a'] } } } }, /oncall\.roles\.operator\.rotation\.handoff: expected a daily hand-off such as "10:00"/],
    ['an unknown zone', { default: { rotation: { handoff: 'Mon 10:00', timezone: 'Asia/Nowhere', people: ['ou_a'] } } }, /oncall\.default\.rotation\.timezone: unknown time zone "Asia\/Nowhere"/],
    ['an unknown role', { roles: { oncall: { people: ['ou_a'] } } }, /oncall\.roles\.oncall: unknown role "oncall"/],
    ['people and a rotation', { roles: { admin: { people: ['ou_a'], rotation: { handoff: 'Mon 10:00', people: ['ou_a'] } } } }, /oncall\.roles\.admin\.people: give people or a rotation/],
    ['neither', { roles: { admin: {} } }, /oncall\.roles\.admin\.people: give people or a rotation/],
    ['an override that ends first', { roles: { admin: { people: ['ou_a'], overrides: [{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z', people: ['ou_b'] }] } } }, /oncall\.roles\.admin\.overrides\.0\.to: must be after from/],
    ['an id that is markup', { roles: { admin: { people: ['<at id=all>'] } } }, /oncall\.roles\.admin\.people\.0: expected a Lark open id/],
    ['an empty list', { roles: { admin: { people: [] } } }, /oncall\.roles\.admin\.people: name at least one/],
    ['an unknown mention setting', { mention: 'everyone' }, /oncall\.mention: Invalid option/],
    ['an unknown severity', { urgent: { sms: ['urgent'] } }, /oncall\.urgent\.sms\.0: Invalid option/],
  ])('%s', (_name, oncall, message) => {
    expect(() => parsePolicy({ oncall }, 'file.yaml')).toThrow(message);
  });
});

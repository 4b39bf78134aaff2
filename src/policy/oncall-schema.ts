import { z } from 'zod';
import { SEVERITIES } from '../domain/severity';
import { isTimeZone } from './time-zone';

/**
 * `oncall:` in the policy file: who is on call per role (or by default), as fixed people, a rotation
 * with a weekly or daily hand-off on a time zone's wall clock, and dated overrides; whom the cards
 * @-mention; and which escalations also send Lark's urgent (加急) notification.
 */

/** A Lark open id (`ou_…`) or a group chat id (`oc_…`): plain ids, so they can sit in card markup. */
const MemberId = z.string().trim().regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected a Lark open id (ou_…) or group chat id (oc_…)');
const Members = z.array(MemberId).min(1, 'name at least one person or group');

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKLY_HANDOFF = /^(sun|mon|tue|wed|thu|fri|sat)[a-z]*\s+(\d{1,2}):(\d{2})$/i;
const DAILY_HANDOFF = /^(\d{1,2}):(\d{2})$/;

export interface Handoff {
  /** 0 = Sunday; undefined for a daily hand-off. */
  weekday?: number;
  /** Minutes after local midnight. */
  minutes: number;
}

/** `Mon 10:00` (weekly) or `10:00` (daily); undefined when it is neither. */
export function parseHandoff(text: string, every: 'week' | 'day'): Handoff | undefined {
  const match = every === 'week' ? WEEKLY_HANDOFF.exec(text.trim()) : DAILY_HANDOFF.exec(text.trim());
  if (!match) return undefined;
  const [hour, minute] = (every === 'week' ? match.slice(2) : match.slice(1)).map(Number) as [number, number];
  if (hour > 23 || minute > 59) return undefined;
  const weekday = every === 'week' ? WEEKDAYS.indexOf((match[1] ?? '').toLowerCase().slice(0, 3)) : undefined;
  return { ...(weekday !== undefined && { weekday }), minutes: hour * 60 + minute };
}

const RotationSchema = z
  .object({
    every: z.enum(['week', 'day']).default('week'),
    /** `Mon 10:00` for a weekly rotation, `10:00` for a daily one, on the wall clock of `timezone`. */
    handoff: z.string(),
    timezone: z.string().default('UTC'),
    /** In turn: the first takes the first hand-off on or after `start`. */
    people: Members,
    start: z.iso.date().default('2024-01-01'),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!parseHandoff(r.handoff, r.every)) {
      const expected = r.every === 'week' ? 'a weekly hand-off such as "Mon 10:00"' : 'a daily hand-off such as "10:00"';
      ctx.addIssue({ code: 'custom', path: ['handoff'], message: `expected ${expected}, got "${r.handoff}"` });
    }
    if (!isTimeZone(r.timezone)) ctx.addIssue({ code: 'custom', path: ['timezone'], message: `unknown time zone "${r.timezone}"` });
  });

const OverrideSchema = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    people: Members,
  })
  .strict()
  .refine((o) => Date.parse(o.to) > Date.parse(o.from), { path: ['to'], message: 'must be after from' });

export const RosterEntrySchema = z
  .object({
    /** Always on call (unless an override says otherwise). */
    people: Members.optional(),
    rotation: RotationSchema.optional(),
    /** A later override wins over an earlier one where they overlap. */
    overrides: z.array(OverrideSchema).default([]),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if ((entry.people === undefined) === (entry.rotation === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['people'], message: 'give people or a rotation (one of them)' });
    }
  });

const Severities = z.array(z.enum(SEVERITIES));

export const OnCallSchema = z
  .object({
    /** Whoever is on call for a role with no entry of its own. */
    default: RosterEntrySchema.optional(),
    /** Role → its roster. */
    roles: z.record(z.string(), RosterEntrySchema).default({}),
    /** Whom diagnosis and proposal cards @-mention: the on-call of the deciding roles, everyone holding them, or nobody. */
    mention: z.enum(['oncall', 'approvers', 'none']).default('oncall'),
    /** Lark's urgent notification to the on-call when an incident of these severities is escalated. */
    urgent: z
      .object({
        app: Severities.default(['high', 'critical']),
        /** SMS and phone urgent cost the tenant's quota: off unless listed. */
        sms: Severities.default([]),
        phone: Severities.default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type OnCallFile = z.output<typeof OnCallSchema>;
export type RosterEntryFile = z.output<typeof RosterEntrySchema>;

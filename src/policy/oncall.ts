import type { Severity, UrgentChannel } from '../domain';
import { parseHandoff } from './oncall-schema';
import type { OnCallFile, RosterEntryFile } from './oncall-schema';
import { DAY_MS, fromLocalMs, MINUTE_MS, toLocalMs } from './time-zone';

/** Lark group chat ids start with `oc_`; anything else on a roster is a person's open id. */
export type OnCallMember = { kind: 'person' | 'chat'; id: string };

export interface Rotation {
  periodDays: 1 | 7;
  timezone: string;
  members: OnCallMember[];
  /** Local wall-clock time (ms on a UTC-reading clock) of the hand-off at which members[0] starts. */
  firstHandoffLocalMs: number;
}

export interface RosterOverride {
  from: Date;
  to: Date;
  members: OnCallMember[];
}

export interface RosterEntry {
  /** Fixed people, or a rotation. */
  base: OnCallMember[] | Rotation;
  overrides: RosterOverride[];
}

export interface OnCallRules {
  default?: RosterEntry;
  roles: Record<string, RosterEntry>;
  mention: 'oncall' | 'approvers' | 'none';
  urgent: Record<UrgentChannel, Severity[]>;
}

export interface OnCallNow {
  now: OnCallMember[];
  /** Who takes over at `until`; both unset when nobody ever does (fixed people, no override ahead). */
  next?: OnCallMember[];
  until?: Date;
}

export function memberOf(id: string): OnCallMember {
  return { kind: id.startsWith('oc_') ? 'chat' : 'person', id };
}

function rotationOf(file: NonNullable<RosterEntryFile['rotation']>): Rotation {
  const handoff = parseHandoff(file.handoff, file.every);
  if (!handoff) throw new Error(`unchecked hand-off "${file.handoff}"`);
  const startDay = Date.parse(`${file.start}T00:00:00Z`) / DAY_MS;
  // 1970-01-01 was a Thursday (weekday 4): the first hand-off day on or after start.
  const shift = handoff.weekday === undefined ? 0 : (handoff.weekday - ((startDay + 4) % 7) + 7) % 7;
  return {
    periodDays: file.every === 'week' ? 7 : 1,
    timezone: file.timezone,
    members: file.people.map(memberOf),
    firstHandoffLocalMs: (startDay + shift) * DAY_MS + handoff.minutes * MINUTE_MS,
  };
}

function entryOf(file: RosterEntryFile): RosterEntry {
  return {
    base: file.rotation ? rotationOf(file.rotation) : (file.people ?? []).map(memberOf),
    overrides: file.overrides.map((o) => ({ from: new Date(o.from), to: new Date(o.to), members: o.people.map(memberOf) })),
  };
}

export function onCallRulesOf(file: OnCallFile): OnCallRules {
  return {
    ...(file.default && { default: entryOf(file.default) }),
    roles: Object.fromEntries(Object.entries(file.roles).map(([role, entry]) => [role, entryOf(entry)])),
    mention: file.mention,
    urgent: file.urgent,
  };
}

/** The rotation's slot at `ms`: who is on, and the instant of the next hand-off. */
function rotationAt(rotation: Rotation, ms: number): { members: OnCallMember[]; nextHandoff: number } {
  const period = rotation.periodDays * DAY_MS;
  const slot = Math.floor((toLocalMs(rotation.timezone, ms) - rotation.firstHandoffLocalMs) / period);
  const n = rotation.members.length;
  const member = rotation.members[((slot % n) + n) % n];
  let nextHandoff = fromLocalMs(rotation.timezone, rotation.firstHandoffLocalMs + (slot + 1) * period);
  // Within a fall-back hour the local clock repeats: the hand-off must still lie ahead.
  if (nextHandoff <= ms) nextHandoff = fromLocalMs(rotation.timezone, rotation.firstHandoffLocalMs + (slot + 2) * period);
  return { members: member ? [member] : [], nextHandoff };
}

function membersAt(entry: RosterEntry, ms: number): OnCallMember[] {
  const override = entry.overrides.findLast((o) => o.from.getTime() <= ms && ms < o.to.getTime());
  if (override) return override.members;
  return Array.isArray(entry.base) ? entry.base : rotationAt(entry.base, ms).members;
}

/** The first moment after `ms` at which the roster may change hands. */
function nextChange(entry: RosterEntry, ms: number): number | undefined {
  const candidates = entry.overrides.flatMap((o) => [o.from.getTime(), o.to.getTime()]).filter((t) => t > ms);
  if (!Array.isArray(entry.base)) candidates.push(rotationAt(entry.base, ms).nextHandoff);
  return candidates.length ? Math.min(...candidates) : undefined;
}

const sameMembers = (a: OnCallMember[], b: OnCallMember[]): boolean => a.length === b.length && a.every((m, i) => m.id === b[i]?.id);

/** How many changes are looked through for one that hands over to someone else (a rotation of one, overlapping overrides). */
const MAX_STEPS = 64;

/** Who is on call for an entry at `instant`, who is next, and when they take over. */
export function onCallIn(entry: RosterEntry, instant: Date): OnCallNow {
  const now = membersAt(entry, instant.getTime());
  let at = instant.getTime();
  for (let step = 0; step < MAX_STEPS; step++) {
    const change = nextChange(entry, at);
    if (change === undefined) break;
    const next = membersAt(entry, change);
    if (!sameMembers(next, now)) return { now, next, until: new Date(change) };
    at = change;
  }
  return { now };
}

/** The roster of a role: its own entry, else the default; undefined when the policy names neither. */
export function rosterOf(rules: OnCallRules, role: string): RosterEntry | undefined {
  return Object.hasOwn(rules.roles, role) ? rules.roles[role] : rules.default;
}

/** Who is on call for `role` at `instant`; undefined when the policy has no roster for it. */
export function onCallAt(rules: OnCallRules, role: string, instant: Date): OnCallNow | undefined {
  const entry = rosterOf(rules, role);
  return entry ? onCallIn(entry, instant) : undefined;
}

/** Everyone on call now for any of `roles` (each role's own entry, else the default), once each. */
export function onCallFor(rules: OnCallRules, roles: readonly string[], instant: Date): OnCallMember[] {
  const entries = new Set(roles.map((role) => rosterOf(rules, role)).filter((e): e is RosterEntry => e !== undefined));
  if (entries.size === 0 && rules.default) entries.add(rules.default);
  const found = new Map<string, OnCallMember>();
  for (const entry of entries) for (const member of membersAt(entry, instant.getTime())) found.set(member.id, member);
  return [...found.values()];
}

export interface RoleOnCall extends OnCallNow {
  /** A role with its own roster, or undefined for the default (every other role). */
  role?: string;
  /** A rotation's time zone: hand-offs read best on its wall clock. */
  timezone?: string;
}

/** Everyone's on-call at `instant`: each role with a roster of its own (by name), then the default. */
export function onCallReport(rules: OnCallRules, instant: Date): RoleOnCall[] {
  const zoneOf = (entry: RosterEntry) => (Array.isArray(entry.base) ? {} : { timezone: entry.base.timezone });
  const roles = Object.entries(rules.roles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([role, entry]): RoleOnCall => ({ role, ...zoneOf(entry), ...onCallIn(entry, instant) }));
  return rules.default ? [...roles, { ...zoneOf(rules.default), ...onCallIn(rules.default, instant) }] : roles;
}

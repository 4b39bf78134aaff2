import type { OnCallMember, RoleOnCall } from '../../../policy/oncall';
import type { CommandContext } from './command';

const NO_ROSTER = 'Nobody is on call: the policy file has no oncall roster (see policy/example.yaml).';

/** `Mon 2026-01-12 10:00 Asia/Shanghai`: a hand-off on the wall clock of its rotation, else UTC. */
export function handoffTime(at: Date, timezone = 'UTC'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timezone}`;
}

function members(list: OnCallMember[]): string {
  return list.map((m) => (m.kind === 'chat' ? `group ${m.id}` : m.id)).join(', ') || 'nobody';
}

function line(entry: RoleOnCall): string {
  const who = `${entry.role ?? 'every other role'}: ${members(entry.now)}`;
  if (!entry.until || !entry.next) return `${who} (no hand-off ahead)`;
  return `${who} until ${handoffTime(entry.until, entry.timezone)}, then ${members(entry.next)}`;
}

/** /oncall: who is on call now and next, per role, with the hand-off time. */
export function onCallText(ctx: CommandContext, now = new Date()): string {
  const report = ctx.access?.onCall?.(now) ?? [];
  if (report.length === 0) return NO_ROSTER;
  return ['On call now:', ...report.map((entry) => `  ${line(entry)}`)].join('\n');
}

import type { Translator } from '../../../i18n';
import type { OnCallMember, RoleOnCall } from '../../../policy/oncall';
import type { CommandContext } from './command';
import { moment } from './moment';


function members(tr: Translator, list: OnCallMember[]): string {
  if (list.length === 0) return tr.t('cmd.oncall.nobody');
  return tr.list(list.map((m) => (m.kind === 'chat' ? tr.t('cmd.oncall.group', { id: m.id }) : m.id)));
}

function line(tr: Translator, entry: RoleOnCall, now: Date): string {
  const role = entry.role ?? tr.t('cmd.oncall.everyOtherRole');
  const who = members(tr, entry.now);
  if (!entry.until || !entry.next) return tr.t('cmd.oncall.lineFixed', { role, who });
  return tr.t('cmd.oncall.line', { role, who, until: moment(tr, entry.until, now), next: members(tr, entry.next) });
}

/** /oncall: who is on call now and next, per role, with the hand-off time in TIMEZONE (`Jan 12, 10:00 (in 6 days)`). */
export function onCallText(ctx: CommandContext, now = new Date()): string {
  const report = ctx.access?.onCall?.(now) ?? [];
  if (report.length === 0) return ctx.tr.t('cmd.oncall.noRoster');
  return [ctx.tr.t('cmd.oncall.title'), ...report.map((entry) => `  ${line(ctx.tr, entry, now)}`)].join('\n');
}

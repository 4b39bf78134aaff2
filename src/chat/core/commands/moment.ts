import type { Translator } from '../../../i18n';

/**
 * A moment people read: "Dec 7, 14:05 (3 minutes ago)" / "12月7日 14:05（3分钟前）" in TIMEZONE, or just the
 * time when it is more than a month off (the relative part would repeat it).
 */
export function moment(tr: Translator, at: Date, now: Date): string {
  const when = tr.when(at);
  const relative = tr.relative(at, now);
  return relative === when ? when : tr.t('cmd.moment', { when, relative });
}

import type { PastIncident, SeenBefore } from '../../../domain';
import type { Translator } from '../../../i18n';
import { headed, percent } from './card-format';
import { escapeMarkdown } from './untrusted-text';

const CAUSE_CHARS = 160;

/** Plugin ids as code, in order: `a`, `b` (only the characters an id has, so nothing ends the code span). */
function fixText(tr: Translator, pluginIds: readonly string[]): string {
  return tr.list(pluginIds.map((id) => `\`${id.replace(/[^\w.:/-]/g, '').slice(0, 100)}\``));
}

/** "This happened 3 times in the last 30 days; `kubernetes.rollout_restart` fixed it twice." */
export function seenBeforeSummary(seen: SeenBefore, tr: Translator): string {
  const { days, count, fix } = seen.recent;
  if (!fix) return tr.t('card.seenBefore.recent', { count, days });
  return tr.t('card.seenBefore.recentFixed', { count, days, fixed: fix.resolved, fix: fixText(tr, fix.pluginIds) });
}

/** One past incident: its id, when, how similar; then its cause (untrusted, escaped on one line) and its fix. */
export function seenBeforeLine(past: PastIncident, tr: Translator): string {
  const incidentId = escapeMarkdown(past.incidentId, 100);
  const similarity = percent(past.similarity);
  const head = past.at
    ? tr.t('card.seenBefore.incident', { incidentId, when: tr.when(past.at), similarity })
    : tr.t('card.seenBefore.incidentUndated', { incidentId, similarity });
  const fix =
    past.fix.length === 0
      ? tr.t('card.seenBefore.noFix')
      : tr.t(past.verified ? 'card.seenBefore.fixVerified' : 'card.seenBefore.fixUnverified', { fix: fixText(tr, past.fix) });
  const cause = past.cause && tr.t('card.seenBefore.cause', { cause: escapeMarkdown(past.cause.replace(/\s+/g, ' '), CAUSE_CHARS) });
  return [`- **${head}**`, ...(cause ? [`  ${cause}`] : []), `  ${fix}`].join('\n');
}

/** The diagnosis card's "Seen before" section: how often, which fix worked, the closest past incidents. */
export function seenBeforeSection(seen: SeenBefore, tr: Translator): string {
  return headed(tr.t('card.seenBefore.heading'), [seenBeforeSummary(seen, tr), ...seen.incidents.map((past) => seenBeforeLine(past, tr))].join('\n'));
}

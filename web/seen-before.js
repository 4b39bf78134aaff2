// @ts-check
import { clock, h, incidentHref } from './dom.js';
import { t } from './i18n.js';

/** @typedef {import('./types.js').SeenBefore} SeenBefore @typedef {import('./types.js').PastIncident} PastIncident */

/** How often it happened lately, and the fix that resolved most of those. @param {SeenBefore} seen */
function summaryLine({ recent }) {
  const { days, count, fix } = recent;
  if (!fix) return t('console.seenBefore.recent', { count, days });
  return t('console.seenBefore.recentFixed', { count, days, fixed: fix.resolved, fix: fix.pluginIds.join(' → ') });
}

/** One past incident: a link to its page, when, how similar, its cause (text, never markup) and its fix. @param {PastIncident} past */
function pastItem(past) {
  const fix = past.fix.length
    ? [...past.fix.flatMap((id, i) => [i ? ' → ' : '', h('code', {}, id)]), ' ', t(past.verified ? 'console.seenBefore.verified' : 'console.seenBefore.unverified')]
    : [t('console.seenBefore.noFix')];
  return h(
    'li',
    { class: 'seen-before-item', 'data-incident': past.incidentId },
    h('a', { href: incidentHref(past.incidentId) }, past.incidentId),
    past.at ? ` · ${clock(past.at)}` : '',
    ` · ${t('console.seenBefore.similarity', { similarity: past.similarity })}`,
    past.cause ? h('div', {}, t('console.seenBefore.cause', { cause: past.cause })) : null,
    h('div', { class: 'fix', 'data-verified': String(past.verified) }, ...fix),
  );
}

/** The "Seen before" panel: similar past incidents the diagnosis recalled; nothing when it recalled none. @param {SeenBefore | null | undefined} seen */
export function seenBeforePanel(seen) {
  if (!seen || seen.incidents.length === 0) return null;
  return h(
    'section',
    { class: 'panel seen-before' },
    h('h2', {}, t('console.seenBefore.title')),
    h('p', {}, summaryLine(seen)),
    h('ul', {}, ...seen.incidents.map(pastItem)),
  );
}

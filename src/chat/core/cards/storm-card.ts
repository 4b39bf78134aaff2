import { SEVERITIES } from '../../../domain';
import type { Severity } from '../../../domain';
import type { MessageKey, Translator } from '../../../i18n';
import type { Card } from '../card';
import { isSeverity, severityTag, severityWord, TONE_BY_SEVERITY } from './card-format';
import { escapeMarkdown } from './untrusted-text';

/** One incident of a storm as its card lists it; alertname and service came from alerts (untrusted). */
export interface StormMember {
  incidentId: string;
  severity: string;
  alertname: string;
  service: string | null;
  /** Where it stands: still being worked on, waiting for people, or over (resolved, recovered, dismissed). */
  standing: 'working' | 'waiting' | 'ended';
}

export interface StormCardInput {
  stormId: string;
  startedAt: Date;
  /** The storm ends this long after its last new incident (STORM_WINDOW). */
  windowMs: number;
  endedAt: Date | null;
  members: StormMember[];
}

/** Lines a card lists before "and N more": Lark cards stay readable, and far below their 30 KB limit. */
export const STORM_LINES_SHOWN = 30;

const STANDING_WORDS = {
  working: 'card.storm.working',
  waiting: 'card.storm.waiting',
  ended: 'card.storm.ended',
} as const satisfies Record<StormMember['standing'], MessageKey>;

const rank = (severity: string) => SEVERITIES.indexOf(severity as Severity);
const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

/** A severity the storm card names: its word when it is one we know, else the text as it came (escaped). */
function severityName(tr: Translator, severity: string, upper = false): string {
  if (!isSeverity(severity)) return escapeMarkdown(upper ? severity.toUpperCase() : severity, 20);
  return upper ? severityTag(tr, severity) : severityWord(tr, severity);
}

function mostSevere(members: StormMember[]): Severity | undefined {
  const top = members.reduce<StormMember | undefined>((best, m) => (best && rank(best.severity) >= rank(m.severity) ? best : m), undefined);
  return top && rank(top.severity) >= 0 ? (top.severity as Severity) : undefined;
}

/** Most severe first, then by alertname and service, so alike incidents sit together. */
function ordered(members: StormMember[]): StormMember[] {
  return [...members].sort(
    (a, b) => rank(b.severity) - rank(a.severity) || a.alertname.localeCompare(b.alertname) || (a.service ?? '').localeCompare(b.service ?? '') || a.incidentId.localeCompare(b.incidentId),
  );
}

function countsBySeverity(members: StormMember[], tr: Translator): string {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.severity, (counts.get(m.severity) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => rank(b) - rank(a))
    .map(([severity, n]) => `${severityName(tr, severity)} ${n}`)
    .join(' · ');
}

function memberLine(m: StormMember, tr: Translator): string {
  const service = m.service ? ` · ${escapeMarkdown(m.service, 80)}` : '';
  const line = `${escapeMarkdown(m.incidentId, 40)} · ${escapeMarkdown(m.alertname, 80)}${service} — ${tr.t(STANDING_WORDS[m.standing])}`;
  return m.standing === 'ended' ? `~~${line}~~` : line;
}

/** The list, one block per severity, at most STORM_LINES_SHOWN lines in all, then "and N more". */
function listSections(members: StormMember[], tr: Translator): string[] {
  const shown = ordered(members).slice(0, STORM_LINES_SHOWN);
  const blocks = new Map<string, string[]>();
  for (const m of shown) blocks.set(m.severity, [...(blocks.get(m.severity) ?? []), `- ${memberLine(m, tr)}`]);
  const sections = [...blocks.entries()].map(([severity, lines]) => `**${severityName(tr, severity, true)}**\n${lines.join('\n')}`);
  const more = members.length - shown.length;
  if (more > 0) sections.push(tr.t('card.storm.more', { more }));
  return sections;
}

/** The one card of an alert storm: its incidents by severity, alertname and service, kept up to date until it ends. */
export function stormCard(input: StormCardInput, tr: Translator): Card {
  const { members, endedAt } = input;
  const count = (standing: StormMember['standing']) => members.filter((m) => m.standing === standing).length;
  const ended = count('ended');
  const total = members.length;
  const intro = endedAt ? tr.t('card.storm.over', { minutes: minutes(input.windowMs) }) : tr.t('card.storm.going');
  const top = mostSevere(members.filter((m) => m.standing !== 'ended'));
  return {
    title: endedAt ? tr.t('card.storm.overTitle', { total }) : tr.t('card.storm.title', { total, open: total - ended }),
    tone: endedAt || !top ? 'grey' : TONE_BY_SEVERITY[top],
    sections: [intro, ...listSections(members, tr)],
    fields: [
      { label: tr.t('card.storm.incidents'), value: tr.t('card.storm.standings', { total, working: count('working'), waiting: count('waiting'), ended }) },
      { label: tr.t('card.storm.bySeverity'), value: countsBySeverity(members, tr) || '-' },
      { label: tr.t('card.storm.started'), value: tr.when(input.startedAt) },
      ...(endedAt ? [{ label: tr.t('card.storm.endedAt'), value: tr.when(endedAt) }] : []),
    ],
    buttons: [],
    footer: tr.t('card.storm.footer', { stormId: input.stormId }),
  };
}

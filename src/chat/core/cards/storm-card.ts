import { SEVERITIES } from '../../../domain';
import type { Severity } from '../../../domain';
import type { Card } from '../card';
import { TONE_BY_SEVERITY } from './card-format';
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

const STANDING_WORDS: Record<StormMember['standing'], string> = { working: 'working', waiting: 'waiting for people', ended: 'ended' };

const rank = (severity: string) => SEVERITIES.indexOf(severity as Severity);
const minutes = (ms: number) => `${Math.max(1, Math.round(ms / 60_000))} min`;
const hhmm = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`;
const incidents = (n: number) => `${n} incident${n === 1 ? '' : 's'}`;

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

function countsBySeverity(members: StormMember[]): string {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.severity, (counts.get(m.severity) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => rank(b) - rank(a))
    .map(([severity, n]) => `${escapeMarkdown(severity, 20)} ${n}`)
    .join(' · ');
}

function memberLine(m: StormMember): string {
  const service = m.service ? ` · ${escapeMarkdown(m.service, 80)}` : '';
  const line = `${escapeMarkdown(m.incidentId, 40)} · ${escapeMarkdown(m.alertname, 80)}${service} — ${STANDING_WORDS[m.standing]}`;
  return m.standing === 'ended' ? `~~${line}~~` : line;
}

/** The list, one block per severity, at most STORM_LINES_SHOWN lines in all, then "and N more". */
function listSections(members: StormMember[]): string[] {
  const shown = ordered(members).slice(0, STORM_LINES_SHOWN);
  const blocks = new Map<string, string[]>();
  for (const m of shown) blocks.set(m.severity, [...(blocks.get(m.severity) ?? []), `- ${memberLine(m)}`]);
  const sections = [...blocks.entries()].map(([severity, lines]) => `**${escapeMarkdown(severity.toUpperCase(), 20)}**\n${lines.join('\n')}`);
  const more = members.length - shown.length;
  if (more > 0) sections.push(`… and ${more} more (\`/incidents\` lists them all)`);
  return sections;
}

/** The one card of an alert storm: its incidents by severity, alertname and service, kept up to date until it ends. */
export function stormCard(input: StormCardInput): Card {
  const { members, endedAt } = input;
  const count = (standing: StormMember['standing']) => members.filter((m) => m.standing === standing).length;
  const ended = count('ended');
  const open = members.length - ended;
  const intro = endedAt
    ? `No new incident for ${minutes(input.windowMs)}: the storm is over, and new incidents post on their own again. The cards of its incidents stay in this thread.`
    : `Many incidents are opening in this chat at once. Their cards are posted in this card's thread instead of one message each; this card lists them and is kept up to date.`;
  const top = mostSevere(members.filter((m) => m.standing !== 'ended'));
  return {
    title: endedAt ? `Alert storm over · ${incidents(members.length)}` : `Alert storm · ${incidents(members.length)}, ${open} open`,
    tone: endedAt || !top ? 'grey' : TONE_BY_SEVERITY[top],
    sections: [intro, ...listSections(members)],
    fields: [
      { label: 'Incidents', value: `${members.length}: ${count('working')} working, ${count('waiting')} waiting for people, ${ended} ended` },
      { label: 'By severity', value: countsBySeverity(members) || '-' },
      { label: 'Started', value: hhmm(input.startedAt) },
      ...(endedAt ? [{ label: 'Ended', value: hhmm(endedAt) }] : []),
    ],
    buttons: [],
    footer: `Storm ${input.stormId}`,
  };
}

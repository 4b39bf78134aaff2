import type { IncidentContext } from '../../../domain';
import type { Translator } from '../../../i18n';
import type { Card } from '../card';
import { alertOf, severityOf } from './incident-card-parts';
import { escapeMarkdown } from './untrusted-text';

/** What a reminder says: which card waits, since how long, until when, and who this level reaches. */
export interface ReminderFacts {
  card: 'diagnosis' | 'proposal';
  /** Minutes since the card was posted. */
  waitedMinutes: number;
  /** When the incident escalates unless someone decides (the approval deadline). */
  deadline?: Date;
  /** 0: the first reminder; n: the n-th level of ESCALATION_CHAIN, which names `to`. */
  level: number;
  to?: string;
  /** The level names a role with nobody on call now. */
  nobodyOnCall: boolean;
  /** Groups the reminder was also posted to. */
  groups: string[];
}

const SUBJECT = { diagnosis: 'diagnosis', proposal: 'fix' } as const;

function commands(ctx: IncidentContext, card: ReminderFacts['card']) {
  const subject = SUBJECT[card];
  return { approve: `\`/approve ${ctx.incidentId} ${subject}\``, reject: `\`/reject ${ctx.incidentId} ${subject}\`` };
}

function shared(tr: Translator, ctx: IncidentContext, facts: ReminderFacts): { title: string; sections: string[] } {
  const sections = [tr.t(`reminder.waiting.${facts.card}`, { minutes: facts.waitedMinutes })];
  if (facts.deadline) sections.push(tr.t('reminder.deadline', { at: facts.deadline }));
  if (facts.to) sections.push(tr.t('reminder.level', { level: facts.level, to: escapeMarkdown(facts.to, 100) }));
  if (facts.to && facts.nobodyOnCall) sections.push(tr.t('reminder.nobodyOnCall', { to: escapeMarkdown(facts.to, 100) }));
  const severity = severityOf(ctx, alertOf(ctx)).toUpperCase();
  return { title: tr.t('reminder.title', { severity, incidentId: ctx.incidentId }), sections };
}

/** The reminder in the card's own thread: it points at the card above; mentions are added by the caller. */
export function reminderCard(tr: Translator, ctx: IncidentContext, facts: ReminderFacts): Card {
  const { title, sections } = shared(tr, ctx, facts);
  sections.push(tr.t('reminder.decideHere', commands(ctx, facts.card)));
  if (facts.groups.length > 0) sections.push(tr.t('reminder.alsoIn', { groups: facts.groups.map((id) => escapeMarkdown(id, 100)).join(', ') }));
  return { title, tone: 'orange', sections, fields: [], buttons: [] };
}

/** The reminder posted in a group a chain level names: the incident waits elsewhere, so it says where and how to decide. */
export function groupReminderCard(tr: Translator, ctx: IncidentContext, facts: ReminderFacts): Card {
  const { title, sections } = shared(tr, ctx, facts);
  sections.push(tr.t('reminder.decideThere', commands(ctx, facts.card)));
  return { title, tone: 'orange', sections, fields: [], buttons: [] };
}

import { z } from 'zod';
import type { Command } from '../../chat/core/commands';
import type { DecisionAccess, PersonEventType } from '../../policy/access';
import { PERSON_EVENT_TYPES } from '../../runtime/incident-events';
import type { IncidentView } from '../../runtime/incident-service';
import { LANGUAGES, type Localized } from '../../i18n';
import { refusalEverywhere } from '../../policy/policy-text';
import { consoleText, type ConsoleKey } from './console-text';

/** What the incident page offers, in this order (the words are the catalog's, in every language). */
const ACTIONS: { type: PersonEventType; label: ConsoleKey; style: 'primary' | 'danger' | 'default' }[] = [
  { type: 'diagnosis.approved', label: 'console.action.approveDiagnosis', style: 'primary' },
  { type: 'diagnosis.rejected', label: 'console.action.rejectDiagnosis', style: 'danger' },
  { type: 'proposal.approved', label: 'console.action.approveFix', style: 'primary' },
  { type: 'proposal.rejected', label: 'console.action.rejectFix', style: 'danger' },
  { type: 'incident.retry', label: 'console.action.retry', style: 'primary' },
  { type: 'incident.resolve', label: 'console.action.resolve', style: 'default' },
  { type: 'incident.rollback', label: 'console.action.rollback', style: 'danger' },
  { type: 'incident.escalate', label: 'console.action.escalate', style: 'default' },
  { type: 'incident.ignore', label: 'console.action.dismiss', style: 'danger' },
];

export interface IncidentAction {
  type: PersonEventType;
  label: Localized<string>;
  style: 'primary' | 'danger' | 'default';
  /** Null: the viewer may send it; else why the policy says no (the reason a card click would get). */
  refused: Localized<string> | null;
}

/** The actions the chart accepts now, each with the viewer's verdict under the policy. */
export function incidentActions(view: IncidentView, access: DecisionAccess, viewer: string): IncidentAction[] {
  const accepted = new Set<string>(view.accepts.filter((type) => (PERSON_EVENT_TYPES as string[]).includes(type)));
  return ACTIONS.filter((action) => accepted.has(action.type)).map((action) => {
    const verdict = access.check(viewer, action.type, view.context);
    return { ...action, label: consoleText(action.label), refused: verdict.allowed ? null : refusalEverywhere(verdict.reason) };
  });
}

export const ActionInput = z
  .object({
    incidentId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
    type: z.enum(PERSON_EVENT_TYPES as [PersonEventType, ...PersonEventType[]]),
    /** The comment of an approval, the reason of a rejection, escalation, dismissal or rollback, the note of a resolve. */
    text: z.string().trim().max(1_000).optional(),
    /** A client-chosen id: the click is claimed under it (a retried POST is applied once), and the audit names it. */
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    /** The page's language: the command's answer is written in it. */
    language: z.enum(LANGUAGES).optional(),
  })
  .strict();
export type ActionInput = z.infer<typeof ActionInput>;

/** The typed command a button stands for: the page's decisions run exactly what `/approve …` would. */
export function commandFor({ incidentId, type, text }: ActionInput): Command {
  const words = text ? text : undefined;
  switch (type) {
    case 'diagnosis.approved':
    case 'proposal.approved':
      return { kind: 'approve', incidentId, subject: type === 'diagnosis.approved' ? 'diagnosis' : 'proposal', comment: words };
    case 'diagnosis.rejected':
    case 'proposal.rejected':
      return { kind: 'reject', incidentId, subject: type === 'diagnosis.rejected' ? 'diagnosis' : 'proposal', reason: words };
    case 'incident.escalate':
      return { kind: 'escalate', incidentId, reason: words };
    case 'incident.ignore':
      return { kind: 'ignore', incidentId, reason: words };
    case 'incident.retry':
      return { kind: 'retry', incidentId };
    case 'incident.resolve':
      return { kind: 'resolve', incidentId, note: words };
    case 'incident.rollback':
      return { kind: 'rollback', incidentId, reason: words };
  }
}

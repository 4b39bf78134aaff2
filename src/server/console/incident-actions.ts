import { z } from 'zod';
import type { Command } from '../../chat/core/commands';
import type { DecisionAccess, PersonEventType } from '../../policy/access';
import { PERSON_EVENT_TYPES } from '../../runtime/incident-events';
import type { IncidentView } from '../../runtime/incident-service';

/** What the incident page offers, in this order; the words are the ones the cards use. */
const ACTIONS: { type: PersonEventType; label: string; style: 'primary' | 'danger' | 'default' }[] = [
  { type: 'diagnosis.approved', label: 'Approve diagnosis', style: 'primary' },
  { type: 'diagnosis.rejected', label: 'Reject diagnosis', style: 'danger' },
  { type: 'proposal.approved', label: 'Approve fix', style: 'primary' },
  { type: 'proposal.rejected', label: 'Reject fix', style: 'danger' },
  { type: 'incident.retry', label: 'Retry', style: 'primary' },
  { type: 'incident.resolve', label: 'Mark resolved', style: 'default' },
  { type: 'incident.escalate', label: 'Escalate', style: 'default' },
  { type: 'incident.ignore', label: 'Dismiss', style: 'danger' },
];

export interface IncidentAction {
  type: PersonEventType;
  label: string;
  style: 'primary' | 'danger' | 'default';
  /** Null: the viewer may send it; else why the policy says no (the reason a card click would get). */
  refused: string | null;
}

/** The actions the chart accepts now, each with the viewer's verdict under the policy. */
export function incidentActions(view: IncidentView, access: DecisionAccess, viewer: string): IncidentAction[] {
  const accepted = new Set<string>(view.accepts.filter((type) => (PERSON_EVENT_TYPES as string[]).includes(type)));
  return ACTIONS.filter((action) => accepted.has(action.type)).map((action) => {
    const verdict = access.check(viewer, action.type, view.context);
    return { ...action, refused: verdict.allowed ? null : verdict.reason };
  });
}

export const ActionInput = z
  .object({
    incidentId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
    type: z.enum(PERSON_EVENT_TYPES as [PersonEventType, ...PersonEventType[]]),
    /** The comment of an approval, the reason of a rejection, escalation or dismissal, the note of a resolve. */
    text: z.string().trim().max(1_000).optional(),
    /** A client-chosen id: the click is claimed under it (a retried POST is applied once), and the audit names it. */
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
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
  }
}

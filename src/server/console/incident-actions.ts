import { z } from 'zod';
import { executeCommand } from '../../chat/core/commands';
import type { Command } from '../../chat/core/commands';
import { WEB_CHAT_ID } from '../../chat/web/web-chat';
import type { DecisionAccess, PersonEventType } from '../../policy/access';
import { PERSON_EVENT_TYPES } from '../../runtime/incident-events';
import type { IncidentService, IncidentView } from '../../runtime/incident-service';
import type { Route } from '../../http/route';
import type { LoopbackTrust } from './console-auth';
import { consoleRoute, parseBody } from './console-routes';

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

const ActionInput = z
  .object({
    incidentId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
    type: z.enum(PERSON_EVENT_TYPES as [PersonEventType, ...PersonEventType[]]),
    /** The comment of an approval, the reason of a rejection, escalation or dismissal, the note of a resolve. */
    text: z.string().trim().max(1_000).optional(),
    /** A client-chosen id: the audit trail names it as the message the decision came from. */
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  })
  .strict();
type ActionInput = z.infer<typeof ActionInput>;

/** The typed command a button stands for: the page's decisions run exactly what `/approve …` would. */
function commandFor({ incidentId, type, text }: ActionInput): Command {
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

export interface IncidentActionDeps {
  access: LoopbackTrust;
  service: IncidentService;
  decisions: DecisionAccess;
  user: string;
}

/**
 * POST /incident/action: a button on the incident page. It is run as the command it stands for, with
 * the policy check cards and commands get and the runtime's own refusal of what the chart no longer
 * accepts; the answer is the reply the command would give.
 */
export function incidentActionRoute({ access, service, decisions, user }: IncidentActionDeps): Route {
  return consoleRoute(access, 'POST', '/incident/action', async (request) => {
    const input = parseBody(request, ActionInput);
    if (!input.ok) return input.response;
    const ctx = { service, sender: { id: user }, chatId: WEB_CHAT_ID, messageId: `console-page-${input.value.id}`, access: decisions };
    return { status: 200, body: { reply: await executeCommand(commandFor(input.value), ctx) } };
  });
}

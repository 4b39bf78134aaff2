import { idsInText, nameableId } from '../../chat/core/people-directory';
import type { PeopleDirectory } from '../../chat/core/people-directory';
import type { IncidentContext } from '../../domain/incident';
import type { Route } from '../../http/route';
import type { WebMessage } from '../../store/web-message-store';
import type { LoopbackTrust } from './console-auth';
import { badRequest, consoleRoute } from './console-routes';
import { consoleText } from './console-text';

/**
 * What the console's answers add about people: `people: { [id]: name }` for the ids in them that the
 * directory could name (Lark's contact API). An id without a name is left out: the page shows the id.
 * Names are people's own text: the page shows them as text.
 */
export type PeopleNames = Record<string, string>;

/** At most this many ids per `GET /people` (the page asks for what a live message brought). */
const MAX_ASKED = 100;

export async function namesFor(directory: PeopleDirectory, ids: Iterable<string>): Promise<PeopleNames> {
  const wanted = [...new Set(ids)].filter(nameableId);
  if (wanted.length === 0) return {};
  return Object.fromEntries(await directory.namesOf(wanted));
}

/** Who appears on an incident's page: whoever moved it (the timeline's actors), decided, escalated or resolved it. */
export function idsOfIncident(context: Pick<IncidentContext, 'approvals' | 'escalation' | 'resolution'>, actors: Iterable<string>): string[] {
  const { approvals, escalation, resolution } = context;
  const deciders = [approvals.diagnosis, approvals.proposal, ...(approvals.proposalApprovers ?? [])].map((approval) => approval?.by.id);
  return [...actors, ...deciders, escalation?.by?.id, resolution?.by.id].filter((id): id is string => typeof id === 'string');
}

/** Who appears in the chat: the people who wrote, and those a bot's text or card names (mentions, /oncall). */
export function idsOfMessages(messages: readonly WebMessage[]): string[] {
  return messages.flatMap((message) => [
    message.senderId,
    ...idsInText(message.text ?? ''),
    ...(message.card ? idsInText(JSON.stringify(message.card)) : []),
  ]);
}

/** `GET /people?ids=ou_a,oc_b`: names for ids the page met on the live stream. */
export function peopleRoute(access: LoopbackTrust, directory: PeopleDirectory): Route {
  return consoleRoute(access, 'GET', '/people', async ({ url }) => {
    const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length > MAX_ASKED) return badRequest(consoleText('console.error.tooManyIds', { max: MAX_ASKED }));
    return { status: 200, body: { people: await namesFor(directory, ids) } };
  });
}

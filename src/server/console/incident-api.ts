import type { AnyStateMachine } from 'xstate';
import { z } from 'zod';
import type { PeopleDirectory } from '../../chat/core/people-directory';
import type { DecisionAccess } from '../../policy/access';
import type { IncidentService } from '../../runtime/incident-service';
import type { ConsoleQueries } from '../../store/console-queries';
import { INCIDENT_STATUSES } from '../../domain/incident-status';
import { toStatelyJson } from '../../viz/stately-json';
import type { Route } from '../../http/route';
import type { LoopbackTrust } from './console-auth';
import { badRequest, consoleRoute } from './console-routes';
import { consoleText } from './console-text';
import { incidentActions } from './incident-actions';
import { incidentActionRoute } from './incident-page-actions';
import type { IncidentPageActions } from './incident-page-actions';
import { incidentDetails, listItem, phaseItem } from './incident-details';
import { idsOfIncident, namesFor } from './people-names';
import { elkStatechart } from './statechart-elk';
import type { ElkStatechart } from './statechart-elk';

export interface IncidentApiDeps {
  /** CONSOLE_TOKEN, and whether this machine may skip it (CONSOLE_TRUST_LOOPBACK). */
  access: LoopbackTrust;
  service: IncidentService;
  queries: ConsoleQueries;
  machine: AnyStateMachine;
  /** Who may decide what, and who is at the console: the page offers only what the viewer may do. */
  decisions: DecisionAccess;
  user: string;
  /** The page's decision buttons, claimed once per click (and replayed by the web channel's replayer). */
  actions: IncidentPageActions;
  /** Names for the people an incident shows (Lark's contact API), else their ids. */
  people: PeopleDirectory;
}

const blankIsUnset = (value: unknown) => (value === '' ? undefined : value);

const ListQuery = z.object({
  status: z.preprocess(blankIsUnset, z.enum(INCIDENT_STATUSES).optional()),
  severity: z.preprocess(blankIsUnset, z.string().max(40).optional()),
  service: z.preprocess(blankIsUnset, z.string().max(200).optional()),
  q: z.preprocess(blankIsUnset, z.string().trim().max(200).optional()),
  limit: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(500).default(200)),
});

/** Where to build or change the machine visually; the page copies the machine for its importer. */
export const STATELY_EDITOR_URL = 'https://stately.ai/editor';

/** The incidents half of the console: the list, one incident's record, and the statechart. */
export function incidentApiRoutes({ access, service, queries, machine, decisions, user, actions, people }: IncidentApiDeps): Route[] {
  // Laid out once, on first request: ELK takes a second or two.
  let layout: Promise<ElkStatechart> | undefined;
  const stately = toStatelyJson(machine);
  return [
    consoleRoute(access, 'GET', '/incidents', async ({ url }) => {
      const query = ListQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) return badRequest(consoleText('console.error.badFilter'), query.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      const { status, severity, service: serviceName, q, limit } = query.data;
      const rows = await queries.incidents({ status, severity, service: serviceName, search: q, limit });
      const [services, responseTimes] = await Promise.all([queries.services(), queries.responseTimes()]);
      return { status: 200, body: { incidents: rows.map(listItem), services, responseTimes } };
    }),
    consoleRoute(access, 'GET', '/incident', async ({ url }) => {
      const id = url.searchParams.get('id') ?? '';
      if (!/^[A-Za-z0-9._:-]{1,100}$/.test(id)) return badRequest(consoleText('console.error.giveIncidentId'));
      const view = await service.get(id);
      if (!view) return { status: 404, body: { error: consoleText('console.error.noIncident', { id }) } };
      // `brief`: only whether it exists and where it stands (the chat asks before linking an id it read in text).
      if (url.searchParams.has('brief')) return { status: 200, body: { id: view.id, state: view.state, phase: phaseItem(view.workflow.phase), status: view.status } };
      const details = await incidentDetails(view, queries);
      const names = await namesFor(people, idsOfIncident(view.context, details.timeline.map((entry) => entry.actor)));
      const kept = await queries.summary(id);
      const summary = kept && { source: kept.source, text: kept.text, ttaMs: kept.facts.ttaMs, ttrMs: kept.facts.ttrMs, outcome: kept.facts.outcome, at: kept.createdAt.toISOString() };
      return { status: 200, body: { ...details, actions: incidentActions(view, decisions, user), people: names, summary: summary ?? null } };
    }),
    incidentActionRoute(access, actions),
    consoleRoute(access, 'GET', '/statechart', async () => ({ status: 200, body: { layout: await (layout ??= elkStatechart(machine)), editorUrl: STATELY_EDITOR_URL, stately } })),
  ];
}

import { z } from 'zod';
import type { DecisionAccess } from '../../policy/access';
import { formatMatchers, SilenceInputError } from '../../silences/matchers';
import { silenceRefusal } from '../../silences/silence-access';
import type { Localized } from '../../i18n';
import { refusalEverywhere } from '../../policy/policy-text';
import type { SilenceService } from '../../silences/silence-service';
import type { Silence } from '../../silences/silence-store';
import type { Route, RouteResponse } from '../../http/route';
import { badRequest, consoleRoute, parseBody } from './console-routes';
import { consoleText } from './console-text';

const NewSilence = z.object({ matchers: z.string().min(1).max(5_000), duration: z.string().min(1).max(20), reason: z.string().max(500).optional() }).strict();
const ExpireSilence = z.object({ id: z.string().min(1).max(40) }).strict();

export interface SilenceApiDeps {
  /** Who may call the console API at all: whatever the other console routes are given. */
  token: Parameters<typeof consoleRoute>[0];
  silences: SilenceService;
  access: DecisionAccess;
  /** Whom the console acts as: the silence's author, checked like a Lark user. */
  user: string;
}

function stateOf(silence: Silence, now: Date): 'active' | 'expired' | 'ended' | 'pending' {
  if (silence.expiredAt) return 'expired';
  if (silence.endsAt <= now) return 'ended';
  return silence.startsAt > now ? 'pending' : 'active';
}

function toJson(silence: Silence, now: Date, held?: number) {
  return { ...silence, matchers: formatMatchers(silence.matchers), state: stateOf(silence, now), held };
}

const forbidden = (error: string | Localized<string>): RouteResponse => ({ status: 403, body: { error } });

function refusedOrBad(error: unknown): RouteResponse {
  if (error instanceof SilenceInputError) return badRequest(error.message);
  throw error;
}

/** `/api/console/silences`: list, create and expire silences, and what each held back. */
export function silenceApiRoutes({ token, silences, access, user }: SilenceApiDeps): Route[] {
  return [
    consoleRoute(token, 'GET', '/silences', async () => {
      const { active, recent } = await silences.list();
      const counts = await silences.heldCounts([...active, ...recent].map((s) => s.id));
      const now = new Date();
      const json = (s: Silence) => toJson(s, now, counts.get(s.id) ?? 0);
      return { status: 200, body: { active: active.map(json), recent: recent.map(json), user, mayEdit: silenceRefusal(access, user) === null } };
    }),
    consoleRoute(token, 'GET', '/silence', async ({ url }) => {
      const id = url.searchParams.get('id') ?? '';
      try {
        const silence = await silences.get(id);
        if (!silence) return { status: 404, body: { error: consoleText('console.error.noSilence', { id: id.slice(0, 20) }) } };
        return { status: 200, body: { silence: toJson(silence, new Date()), held: await silences.held(silence.id) } };
      } catch (error) {
        return refusedOrBad(error);
      }
    }),
    consoleRoute(token, 'POST', '/silences', async (request) => {
      const input = parseBody(request, NewSilence);
      if (!input.ok) return input.response;
      const refused = silenceRefusal(access, user);
      if (refused) return forbidden(refusalEverywhere(refused));
      try {
        const silence = await silences.create({ ...input.value, by: user });
        return { status: 201, body: { silence: toJson(silence, new Date(), 0) } };
      } catch (error) {
        return refusedOrBad(error);
      }
    }),
    consoleRoute(token, 'POST', '/silences/expire', async (request) => {
      const input = parseBody(request, ExpireSilence);
      if (!input.ok) return input.response;
      const refused = silenceRefusal(access, user);
      if (refused) return forbidden(refusalEverywhere(refused));
      try {
        return { status: 200, body: { silence: toJson(await silences.expire(input.value.id, user), new Date()) } };
      } catch (error) {
        return refusedOrBad(error);
      }
    }),
  ];
}

import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { Actor, AlertInput } from '../domain';
import { InvalidInputError } from '../runtime/incident-service';
import type { IncidentService } from '../runtime/incident-service';
import { constantTimeEqual } from '../server/http-server';
import type { Route, RouteResponse } from '../server/http-server';
import type { InboundStore } from '../store/inbound-store';
import { AlertPayloadError, parseAlertPayload } from './alertmanager';

export interface AlertIntakeOptions {
  service: IncidentService;
  inbound: InboundStore;
  /** Accepted bearer keys (API_KEYS); none means every request is refused. */
  apiKeys: string[];
  /** Where the incidents' cards go (LARK_DEFAULT_CHAT_ID) unless a route by label says otherwise. */
  chatId: string | undefined;
  /** ALERT_ROUTES: the first route whose label matches sends the incident to its chat. */
  routes?: AlertRoute[];
  logger: Logger;
  /** The same payload again within this long of its incidents being created is a redelivery and creates nothing. */
  dedupeWindowMs?: number;
  /** A claim left uncompleted this long (its request crashed) is taken over by a retry; default 30 s. */
  staleClaimMs?: number;
  path?: string;
}

export interface AlertRoute {
  label: string;
  value: string;
  chatId: string;
}

export const ALERTS_PATH = '/api/alerts';

function chatFor(alert: AlertInput, options: AlertIntakeOptions): string | undefined {
  const labelOf = (label: string) => alert.labels?.[label] ?? (label === 'service' ? alert.service : undefined);
  return options.routes?.find((route) => labelOf(route.label) === route.value)?.chatId ?? options.chatId;
}
const DEFAULT_DEDUPE_WINDOW_MS = 10 * 60_000;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The caller, named by a hash of its key (never the key), or null when no key matches. */
function callerOf(headers: IncomingHttpHeaders, apiKeys: string[]): Actor | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (!match?.[1]) return null;
  const given = match[1];
  // Every key is compared, so the time taken does not depend on which one matched.
  const matched = apiKeys.reduce<string | null>((found, key) => (constantTimeEqual(given, key) ? key : found), null);
  return matched === null ? null : { id: `api:${sha256(matched).slice(0, 8)}` };
}

function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new AlertPayloadError([{ path: '', message: 'body is not JSON' }]);
  }
}


async function createAll(options: AlertIntakeOptions, alerts: AlertInput[], by: Actor) {
  const incidents = [];
  for (const alert of alerts) {
    const view = await options.service.create({ alert, chatId: chatFor(alert, options)!, by });
    incidents.push({ id: view.id, state: view.state, severity: view.severity, opened: view.opened });
  }
  return incidents;
}

const UNAUTHORIZED: RouteResponse = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer' },
  body: { error: 'unauthorized: send Authorization: Bearer <key> with a key from API_KEYS' },
};

/** The same payload is being created by another request (or was, by an instance that died): retry shortly. */
const IN_PROGRESS: RouteResponse = {
  status: 503,
  headers: { 'retry-after': '5' },
  body: { error: 'This payload is being processed; retry in a few seconds.' },
};

const NO_CHAT: RouteResponse = {
  status: 503,
  body: { error: 'LARK_DEFAULT_CHAT_ID is not set and no ALERT_ROUTES entry matches: set one so incidents from this endpoint have a chat.' },
};

/** `POST /api/alerts`: Alertmanager's webhook or one JSON alert → incidents in the routed or default chat. */
export function createAlertIntakeRoute(options: AlertIntakeOptions): Route {
  return {
    method: 'POST',
    path: options.path ?? ALERTS_PATH,
    async handle({ rawBody, headers }) {
      const by = callerOf(headers, options.apiKeys);
      if (!by) return UNAUTHORIZED;
      if (!options.chatId && !options.routes?.length) return NO_CHAT;
      let alerts: AlertInput[];
      try {
        alerts = parseAlertPayload(parseJson(rawBody));
      } catch (error) {
        if (error instanceof AlertPayloadError) return { status: 400, body: { error: error.message, issues: error.issues } };
        throw error;
      }
      if (alerts.some((alert) => !chatFor(alert, options))) return NO_CHAT;
      // The same bytes within the dedup window are a redelivery: created moments ago, or being created now
      // (a claim left by a crash is taken over once stale).
      const key = `http:${sha256(rawBody)}`;
      const claim = await options.inbound.claimDelivery(key, { staleAfterMs: options.staleClaimMs, repeatableAfterMs: options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS });
      if (claim === 'done') return { status: 200, body: { duplicate: true, incidents: [], message: 'This payload was received moments ago; nothing new was created.' } };
      if (claim === 'in_progress') return IN_PROGRESS;
      try {
        const incidents = await createAll(options, alerts, by);
        // Only now is a repeat a duplicate: a crash before this leaves the claim to be taken over.
        await options.inbound.complete(key);
        options.logger.info({ by: by.id, incidents: incidents.map((i) => i.id) }, 'incidents opened from the http intake');
        return { status: 202, body: { incidents } };
      } catch (error) {
        // Let the sender's retry be taken; an alert created before the failure merges with its repeat by fingerprint.
        await options.inbound.release(key);
        if (error instanceof InvalidInputError) return { status: 400, body: { error: error.message } };
        throw error;
      }
    },
  };
}

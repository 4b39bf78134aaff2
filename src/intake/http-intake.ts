import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { Actor, AlertInput } from '../domain';
import { InvalidInputError } from '../domain/errors';
import type { IncidentService } from '../runtime/incident-service';
import { constantTimeEqual } from '../security/constant-time';
import type { Route, RouteRequest, RouteResponse } from '../http/route';
import { SecretScrubber } from '../security';
import type { Scrubber } from '../security';
import { z } from 'zod';
import { DEFAULT_STALE_CLAIM_MS } from '../store/inbound-store';
import type { InboundStore, UnfinishedDelivery } from '../store/inbound-store';
import { AlertPayloadError, parseAlertPayload } from './alertmanager';
import { AlertQueue } from './alert-queue';
import type { ReplayTarget } from './delivery-replayer';
import { settleWithin } from './settle-within';

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
  /** A claim not heartbeaten this long (its instance died) is replayed by another; default 30 s. */
  staleClaimMs?: number;
  path?: string;
  /** How long a request waits for its incidents before it is answered "queued" (only when nothing is queued ahead). */
  answerBudgetMs?: number;
  /** Payloads turned into incidents at once, and the most alerts waiting before new payloads are refused. */
  concurrency?: number;
  maxBacklog?: number;
  /**
   * Redacts a payload before its claim keeps it for replay (and before its incidents are created).
   * Default: the built-in rules; the bot passes its own (REDACT_PATTERNS, known secret values).
   */
  scrubber?: Scrubber;
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
const DEFAULT_ANSWER_BUDGET_MS = 2_000;
// Few at a time: an incident's own first steps run beside its creation; more would only slow acknowledging a storm.
const DEFAULT_CONCURRENCY = 4;
/** About 10 MB of alerts in memory at most; each is also claimed in Postgres. */
const DEFAULT_MAX_BACKLOG = 10_000;

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
    return withoutNul(JSON.parse(rawBody.toString('utf8')));
  } catch {
    throw new AlertPayloadError([{ path: '', message: 'body is not JSON' }]);
  }
}

/**
 * The parsed payload without NUL characters (`\u0000`) in keys or strings: Postgres text and jsonb
 * cannot hold them, and one in a label value made the claim insert fail with 500, so Alertmanager
 * retried the same bytes forever and the whole group went silent.
 */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replaceAll('\u0000', ''), withoutNul(item)]));
}

async function createAll(options: AlertIntakeOptions, alerts: AlertInput[], by: Actor) {
  const incidents: { id: string; state: string; severity: string; opened: boolean }[] = [];
  const silenced: { fingerprint: string; title: string; silenceId: string }[] = [];
  for (const [alert, ...alongWith] of senderGroups(options, alerts)) {
    if (!alert) continue;
    const view = await options.service.create({ alert, alongWith, chatId: chatFor(alert, options)!, by });
    if (view.silenced) silenced.push({ fingerprint: alert.fingerprint, title: alert.title, silenceId: view.silenced.silenceId });
    else if (!incidents.some((i) => i.id === view.id)) incidents.push({ id: view.id, state: view.state, severity: view.severity, opened: view.opened });
  }
  return { incidents, silenced };
}

/** Alerts the sender grouped (same groupKey, same chat) go to intake together: one incident holds them all. */
function senderGroups(options: AlertIntakeOptions, alerts: AlertInput[]): AlertInput[][] {
  const groups = new Map<string, AlertInput[]>();
  alerts.forEach((alert, index) => {
    const key = alert.groupKey === undefined ? `alone:${index}` : `${chatFor(alert, options) ?? ''}\n${alert.groupKey}`;
    groups.set(key, [...(groups.get(key) ?? []), alert]);
  });
  return [...groups.values()];
}

const UNAUTHORIZED: RouteResponse = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer' },
  body: { error: 'unauthorized: send Authorization: Bearer <key> with a key from API_KEYS' },
};

const NO_CHAT: RouteResponse = {
  status: 503,
  body: { error: 'LARK_DEFAULT_CHAT_ID is not set and no ALERT_ROUTES entry matches: set one so incidents from this endpoint have a chat.' },
};

/** The backlog is full: nothing was taken; the sender retries (Alertmanager does). */
const BACKLOG_FULL: RouteResponse = {
  status: 503,
  headers: { 'retry-after': '5' },
  body: { error: 'Too many alerts are waiting to be turned into incidents; retry in a few seconds.' },
};

const queued = (message: string): RouteResponse => ({ status: 202, body: { queued: true, incidents: [], message } });

/** The replayer's channel for payloads acknowledged by an instance that died before creating their incidents. */
export const HTTP_CHANNEL = 'http';

/** What a claim keeps of a payload: enough to create its incidents again. */
const KeptPayload = z.object({ alerts: z.array(z.custom<AlertInput>((value) => typeof value === 'object' && value !== null)), by: z.object({ id: z.string() }) });

export interface AlertIntake extends ReplayTarget {
  route: Route;
  /** Waits (bounded) for acknowledged payloads to become incidents; what is left is replayed from its claim. */
  close(timeoutMs: number): Promise<void>;
}

/** One intake's moving parts, shared by its route, its replays and its shutdown. */
interface IntakeParts {
  options: AlertIntakeOptions;
  scrubber: Scrubber;
  queue: AlertQueue;
  staleAfterMs: number;
  /** Completions of answered payloads still being recorded: shutdown waits for them too. */
  completing: Set<Promise<void>>;
}

function intakeParts(options: AlertIntakeOptions): IntakeParts {
  const staleAfterMs = options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS;
  const queue = new AlertQueue({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    maxBacklog: options.maxBacklog ?? DEFAULT_MAX_BACKLOG,
    heartbeat: (keys) => options.inbound.heartbeat(...keys),
    heartbeatMs: staleAfterMs / 3,
    logger: options.logger,
  });
  return { options, scrubber: options.scrubber ?? new SecretScrubber(), queue, staleAfterMs, completing: new Set() };
}

function track({ completing }: IntakeParts, completion: Promise<void>): Promise<void> {
  completing.add(completion);
  return completion.finally(() => completing.delete(completion));
}

/** Work on a payload already answered: finished, or left for a replay, never dropped silently. */
function finishLater({ options: { inbound, logger } }: IntakeParts, key: string, work: Promise<unknown>): Promise<void> {
  return work.then(
    () => inbound.complete(key),
    async (error: unknown) => {
      if (error instanceof InvalidInputError) {
        logger.error({ err: error, key }, 'an acknowledged alert payload is not valid; nothing was created');
        return inbound.complete(key);
      }
      logger.error({ err: error, key }, 'could not create the incidents of an acknowledged alert payload; it is replayed');
      return inbound.abandon(key);
    },
  );
}

/** The payload's alerts, redacted, or the 400 that says why there are none. */
function readAlerts(rawBody: Buffer, scrubber: Scrubber): AlertInput[] | RouteResponse {
  try {
    // Redacted before the claim keeps it: a queued payload waits in inbound_events until its turn.
    return scrubber.scrubValue(parseAlertPayload(parseJson(rawBody))) as AlertInput[];
  } catch (error) {
    if (error instanceof AlertPayloadError) return { status: 400, body: { error: error.message, issues: error.issues } };
    throw error;
  }
}

async function handleAlertPost(parts: IntakeParts, { rawBody, headers }: RouteRequest): Promise<RouteResponse> {
  const { options, queue, staleAfterMs } = parts;
  const by = callerOf(headers, options.apiKeys);
  if (!by) return UNAUTHORIZED;
  if (!options.chatId && !options.routes?.length) return NO_CHAT;
  const alerts = readAlerts(rawBody, parts.scrubber);
  if (!Array.isArray(alerts)) return alerts;
  if (alerts.some((alert) => !chatFor(alert, options))) return NO_CHAT;
  if (!queue.hasRoom(alerts.length)) return BACKLOG_FULL;
  // The same bytes within the dedup window are a redelivery: created moments ago, or being created now.
  const key = `http:${sha256(rawBody)}`;
  const replay = { channel: HTTP_CHANNEL, kind: 'alerts', data: { alerts, by } };
  const claim = await options.inbound.claimDelivery(key, { staleAfterMs, replay, repeatableAfterMs: options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS });
  if (claim === 'done') return { status: 200, body: { duplicate: true, incidents: [], message: 'This payload was received moments ago; nothing new was created.' } };
  if (claim === 'in_progress') return queued('This payload was received moments ago and is being turned into incidents.');
  return createClaimed(parts, key, alerts, by);
}

/** A claimed payload's incidents, listed when they are created within the answer budget, else queued. */
async function createClaimed(parts: IntakeParts, key: string, alerts: AlertInput[], by: Actor): Promise<RouteResponse> {
  const { options, queue } = parts;
  const { inbound, logger } = options;
  // Behind a backlog, answer at once; otherwise the incidents are usually there within the budget.
  const waitMs = queue.saturated ? 0 : (options.answerBudgetMs ?? DEFAULT_ANSWER_BUDGET_MS);
  const work = queue.submit(key, alerts.length, () => createAll(options, alerts, by));
  const settled = await settleWithin(work, waitMs);
  if (settled.kind === 'late') {
    void track(parts, finishLater(parts, key, work).catch((error: unknown) => logger.warn({ err: error, key }, 'could not record an alert payload as done; it may be replayed')));
    return queued(`Received ${alerts.length} alert(s); their incidents are being opened.`);
  }
  if (settled.kind === 'failed') {
    // Not acknowledged: the sender's retry is taken again (an alert created before the failure merges by fingerprint).
    await inbound.release(key);
    if (settled.error instanceof InvalidInputError) return { status: 400, body: { error: settled.error.message } };
    throw settled.error;
  }
  // Only now is a repeat a duplicate: a crash before this leaves the claim to be replayed.
  await inbound.complete(key);
  const { incidents, silenced } = settled.value;
  logger.info({ by: by.id, incidents: incidents.map((i) => i.id), silenced: silenced.length }, 'incidents opened from the http intake');
  return { status: 202, body: { incidents, silenced } };
}

async function replayDelivery(parts: IntakeParts, { key, replay }: UnfinishedDelivery): Promise<boolean> {
  const { options, queue, staleAfterMs } = parts;
  const kept = KeptPayload.safeParse(replay.data);
  if (!kept.success) return false;
  if ((await options.inbound.claimDelivery(key, { staleAfterMs })) !== 'claimed') return true;
  await track(parts, finishLater(parts, key, queue.submit(key, kept.data.alerts.length, () => createAll(options, kept.data.alerts, kept.data.by))));
  return true;
}

/**
 * The queue going idle is not enough: each answered payload's claim is completed after its work,
 * and a shutdown before that leaves it to be replayed (and counted as a repeat) by another instance.
 */
async function closeIntake({ queue, completing }: IntakeParts, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await queue.idle(timeoutMs);
  await settleWithin(Promise.allSettled([...completing]), Math.max(0, deadline - Date.now()));
}

/**
 * `POST /api/alerts`: Alertmanager's webhook or one JSON alert → incidents in the routed or default
 * chat. A payload is claimed with its content kept, then queued; the answer lists its incidents when
 * they are created within a moment, else says it was queued. Either way it is persisted before it is
 * acknowledged, and if this instance dies first another one creates its incidents (replay).
 */
export function createAlertIntake(options: AlertIntakeOptions): AlertIntake {
  const parts = intakeParts(options);
  const route: Route = {
    method: 'POST',
    path: options.path ?? ALERTS_PATH,
    // The key is checked before the body is read: a caller without one cannot make the server buffer a megabyte.
    authorize: ({ headers }) => (callerOf(headers, options.apiKeys) ? null : UNAUTHORIZED),
    handle: (request) => handleAlertPost(parts, request),
  };
  return {
    route,
    replay: (delivery) => replayDelivery(parts, delivery),
    close: (timeoutMs) => closeIntake(parts, timeoutMs),
  };
}

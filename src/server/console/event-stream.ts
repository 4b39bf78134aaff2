import type { ServerResponse } from 'node:http';
import type { WebChatListener } from '../../chat/web/web-chat';
import type { IncidentChange } from '../../runtime/incident-service';
import type { RouteResponse } from '../../http/route';

/** What the stream tells about a transition: ids and states only (the page fetches what it shows). */
export type LiveIncidentChange = Pick<IncidentChange, 'incidentId' | 'eventType' | 'fromState' | 'toState' | 'status'>;
export type LiveIncidentListener = (change: LiveIncidentChange) => void;

export interface LiveSources {
  chat(listener: WebChatListener): () => void;
  incidents(listener: LiveIncidentListener): () => void;
  /** Told when events may have been missed (a shared feed lost Redis for a while): the stream ends so the page reconnects and reloads. */
  gaps?(listener: () => void): () => void;
}

/** Strips a change to what the stream sends; a local change also carries its whole context. */
export function liveIncidentChange(change: LiveIncidentChange): LiveIncidentChange {
  return { incidentId: change.incidentId, eventType: change.eventType, fromState: change.fromState, toState: change.toState, status: change.status };
}

const HEARTBEAT_MS = 15_000;
/** A client this far behind is cut off; it reconnects and reloads rather than the server buffering for it. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * Server-sent events: chat messages as stored, and each incident transition once persisted (ids and
 * states only: the page fetches what it shows). JSON keeps every event on one `data:` line.
 */
export function eventStreamResponse(sources: LiveSources): RouteResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
    stream: (res, closed) => pump(res, closed, sources),
  };
}

function pump(res: ServerResponse, closed: AbortSignal, sources: LiveSources): void {
  const write = (text: string): void => {
    if (closed.aborted) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return void res.destroy();
    res.write(text);
  };
  const send = (event: string, data: unknown): void => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const stops = [
    sources.chat((event) => send('chat', event)),
    sources.incidents((change) => send('incident', liveIncidentChange(change))),
    // The page refetches on every reconnect, which covers whatever the gap lost.
    sources.gaps?.(() => res.end()) ?? (() => undefined),
  ];
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
  closed.addEventListener('abort', () => {
    clearInterval(heartbeat);
    for (const stop of stops) stop();
  });
  send('ready', { at: new Date().toISOString() });
}

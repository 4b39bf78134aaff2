import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerAfter, closeServer, listen, matchesLabels, parseMatchers, readParams } from './prometheus-api';
import type { Matcher, RecordedRequest } from './prometheus-api';

export interface FakeStream {
  labels: Record<string, string>;
  /** `at` in unix milliseconds. */
  entries: { at: number; line: string }[];
}

/** Loki answers most errors with a plain-text body, not JSON. */
export interface LokiFailure {
  httpStatus: number;
  body: string;
  contentType?: string;
}

export interface FakeLoki {
  url: string;
  readonly requests: RecordedRequest[];
  setDelay(ms: number): void;
  setFailure(failure: LokiFailure | undefined): void;
  close(): Promise<void>;
}

const DEFAULT_LIMIT = 100;
const MAX_ENTRIES_LIMIT = 5_000;

class ParseError extends Error {}

type LineFilter = { op: '|=' | '!=' | '|~' | '!~'; value: string };
const FILTER = /^\s*(\|=|!=|\|~|!~)\s*"((?:[^"\\]|\\.)*)"/;

/** Just enough LogQL: a stream selector with at least one matcher, then line filters. */
function parseLogQuery(query: string): { matchers: Matcher[]; filters: LineFilter[] } {
  const selector = /^\s*\{([^}]*)\}/.exec(query);
  if (!selector) throw new ParseError('parse error at line 1, col 1: syntax error: unexpected IDENTIFIER, expecting {');
  let matchers: Matcher[];
  try {
    matchers = parseMatchers(selector[1] ?? '');
  } catch (error) {
    throw new ParseError(`parse error at line 1, col 2: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (matchers.length === 0) throw new ParseError('parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value');
  const filters: LineFilter[] = [];
  let rest = query.slice(selector[0].length);
  while (rest.trim() !== '') {
    const filter = FILTER.exec(rest);
    if (!filter) throw new ParseError(`parse error at line 1, col ${query.length - rest.length + 1}: syntax error: unexpected ${rest.trim().slice(0, 10)}`);
    filters.push({ op: filter[1] as LineFilter['op'], value: (filter[2] ?? '').replace(/\\(.)/g, '$1') });
    rest = rest.slice(filter[0].length);
  }
  return { matchers, filters };
}

function passes(line: string, filters: readonly LineFilter[]): boolean {
  return filters.every(({ op, value }) => {
    if (op === '|=') return line.includes(value);
    if (op === '!=') return !line.includes(value);
    const matched = new RegExp(value).test(line);
    return op === '|~' ? matched : !matched;
  });
}

/** Loki takes unix nanoseconds or RFC 3339; answers in nanosecond strings. */
function parseNs(raw: string | undefined, fallback: bigint): bigint {
  if (raw === undefined || raw === '') return fallback;
  if (/^\d+$/.test(raw)) return BigInt(raw);
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new ParseError(`could not parse '${raw}' as a timestamp`);
  return BigInt(ms) * 1_000_000n;
}

function queryRange(seeded: readonly FakeStream[], params: Record<string, string>): unknown {
  const query = params.query ?? '';
  if (/^\s*(rate|count_over_time|sum|bytes_over_time)\b/.test(query)) return { resultType: 'matrix', result: [], stats: {} };
  const { matchers, filters } = parseLogQuery(query);
  const end = parseNs(params.end, BigInt(Date.now()) * 1_000_000n);
  const start = parseNs(params.start, end - 3_600_000_000_000n);
  const limit = params.limit === undefined ? DEFAULT_LIMIT : Number(params.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new ParseError('limit must be a positive value');
  if (limit > MAX_ENTRIES_LIMIT) throw new ParseError(`max entries limit per query exceeded, limit > max_entries_limit (${limit} > ${MAX_ENTRIES_LIMIT})`);
  const forward = params.direction === 'forward';
  const chosen = seeded
    .flatMap((stream, index) => (matchesLabels(stream.labels, matchers) ? stream.entries.map((entry) => ({ index, ns: BigInt(entry.at) * 1_000_000n, line: entry.line })) : []))
    .filter((entry) => entry.ns >= start && entry.ns < end && passes(entry.line, filters))
    .sort((a, b) => (a.ns === b.ns ? 0 : (a.ns < b.ns) === forward ? -1 : 1))
    .slice(0, limit);
  const result = seeded.flatMap((stream, index) => {
    const values = chosen.filter((entry) => entry.index === index).map((entry) => [entry.ns.toString(), entry.line]);
    return values.length > 0 ? [{ stream: stream.labels, values }] : [];
  });
  return { resultType: 'streams', result, stats: { summary: { totalEntriesReturned: chosen.length } } };
}

/** Loki's `/loki/api/v1/query_range` on 127.0.0.1 over seeded streams. */
export async function startFakeLoki(options: { streams: FakeStream[] }): Promise<FakeLoki> {
  const requests: RecordedRequest[] = [];
  let delayMs = 0;
  let failure: LokiFailure | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: string, contentType: string): void => {
      answerAfter(delayMs, res, () => res.writeHead(status, { 'content-type': contentType }).end(body));
    };
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const params = await readParams(req);
    requests.push({ method: req.method ?? 'GET', path, params, headers: req.headers });
    if (path !== '/loki/api/v1/query_range') return send(404, '404 page not found\n', 'text/plain');
    if (failure) return send(failure.httpStatus, failure.body, failure.contentType ?? 'text/plain; charset=utf-8');
    try {
      send(200, JSON.stringify({ status: 'success', data: queryRange(options.streams, params) }), 'application/json');
    } catch (error) {
      if (error instanceof ParseError) send(400, `${error.message}\n`, 'text/plain; charset=utf-8');
      else send(500, String(error), 'text/plain; charset=utf-8');
    }
  };
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  const url = await listen(server);

  return {
    url,
    requests,
    setDelay: (ms) => void (delayMs = ms),
    setFailure: (next) => void (failure = next),
    close: () => closeServer(server),
  };
}

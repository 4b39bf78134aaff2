import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A seeded series: explicit samples (unix seconds, value), or a function evaluated at any time. */
export interface FakeSeries {
  labels: Record<string, string>;
  samples?: [number, number][];
  value?: (atSeconds: number) => number;
}

export interface PrometheusFailure {
  httpStatus: number;
  errorType: string;
  error: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakePrometheus {
  url: string;
  readonly requests: RecordedRequest[];
  /** Answer every request this much later (0: at once), to drive callers into their timeouts. */
  setDelay(ms: number): void;
  /** Answer every query with this error until cleared with undefined. */
  setFailure(failure: PrometheusFailure | undefined): void;
  setWarnings(warnings: string[]): void;
  close(): Promise<void>;
}

const LOOKBACK_S = 300;
const MAX_POINTS = 11_000;
const FN_SAMPLE_INTERVAL_S = 15;

class BadData extends Error {}

export type Matcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string };
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** `a="x", b=~"y.*"` as in PromQL and LogQL selectors; regexes are anchored, as there. */
export function parseMatchers(body: string): Matcher[] {
  if (body.trim() === '') return [];
  return body.split(',').map((part) => {
    const match = MATCHER.exec(part);
    if (!match) throw new BadData(`parse error: unexpected "${part.trim()}" in label matching`);
    const [, name = '', op = '=', value = ''] = match;
    return { name, op: op as Matcher['op'], value: value.replace(/\\(.)/g, '$1') };
  });
}

export function matchesLabels(labels: Record<string, string>, matchers: readonly Matcher[]): boolean {
  return matchers.every(({ name, op, value }) => {
    const actual = labels[name] ?? '';
    if (op === '=') return actual === value;
    if (op === '!=') return actual !== value;
    const matched = new RegExp(`^(?:${value})$`).test(actual);
    return op === '=~' ? matched : !matched;
  });
}

const SELECTOR = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{([^}]*)\})?\s*(?:\[(\d+)([smhd])\])?\s*$/;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'selector'; matchers: Matcher[]; rangeS?: number };

/** Just enough PromQL for tests: number and string literals, and selectors with an optional range. */
function parseExpr(query: string): Expr {
  const text = query.trim();
  if (text === '') throw new BadData('1:1: parse error: no expression found in input');
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: 'number', value: Number(text) };
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (quoted) return { kind: 'string', value: quoted[1] ?? '' };
  const selector = SELECTOR.exec(text);
  if (!selector || (!selector[1] && !selector[2])) throw new BadData(`1:1: parse error: unexpected character in "${text.slice(0, 20)}"`);
  const [, name, body = '', amount, unit] = selector;
  const matchers = [...(name ? [{ name: '__name__', op: '=' as const, value: name }] : []), ...parseMatchers(body)];
  return { kind: 'selector', matchers, ...(amount && unit ? { rangeS: Number(amount) * (UNIT_S[unit] ?? 1) } : {}) };
}

function valueAt(series: FakeSeries, at: number): number | undefined {
  if (series.value) return series.value(at);
  const inWindow = (series.samples ?? []).filter(([t]) => t <= at && t > at - LOOKBACK_S);
  return inWindow[inWindow.length - 1]?.[1];
}

function samplesIn(series: FakeSeries, from: number, to: number): [number, number][] {
  if (!series.value) return (series.samples ?? []).filter(([t]) => t > from && t <= to);
  const fn = series.value;
  const first = Math.floor(from / FN_SAMPLE_INTERVAL_S) * FN_SAMPLE_INTERVAL_S + FN_SAMPLE_INTERVAL_S;
  const times = Array.from({ length: Math.max(0, Math.floor((to - first) / FN_SAMPLE_INTERVAL_S) + 1) }, (_, i) => first + i * FN_SAMPLE_INTERVAL_S);
  return times.map((t) => [t, fn(t)]);
}

export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

function parseTime(params: Record<string, string>, name: string, fallback?: number): number {
  const raw = params[name];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw new BadData(`invalid parameter "${name}": cannot parse "" to a valid timestamp`);
  }
  const seconds = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Date.parse(raw) / 1_000;
  if (Number.isNaN(seconds)) throw new BadData(`invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`);
  return seconds;
}

function parseStep(raw: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])?$/.exec(raw ?? '');
  if (!match) throw new BadData(`invalid parameter "step": cannot parse "${raw ?? ''}" to a valid duration`);
  const step = Number(match[1]) * (UNIT_S[match[2] ?? 's'] ?? 1);
  if (step <= 0) throw new BadData('zero or negative query resolution step widths are not accepted. Try a positive integer');
  return step;
}

function instant(seeded: readonly FakeSeries[], params: Record<string, string>): unknown {
  const expr = parseExpr(params.query ?? '');
  const at = parseTime(params, 'time', Date.now() / 1_000);
  if (expr.kind === 'number') return { resultType: 'scalar', result: [at, formatSampleValue(expr.value)] };
  if (expr.kind === 'string') return { resultType: 'string', result: [at, expr.value] };
  const matching = seeded.filter((series) => matchesLabels(series.labels, expr.matchers));
  if (expr.rangeS !== undefined) {
    const from = at - expr.rangeS;
    const result = matching
      .map((series) => ({ metric: series.labels, values: samplesIn(series, from, at).map(([t, v]) => [t, formatSampleValue(v)]) }))
      .filter((series) => series.values.length > 0);
    return { resultType: 'matrix', result };
  }
  const result = matching.flatMap((series) => {
    const value = valueAt(series, at);
    return value === undefined ? [] : [{ metric: series.labels, value: [at, formatSampleValue(value)] }];
  });
  return { resultType: 'vector', result };
}

function range(seeded: readonly FakeSeries[], params: Record<string, string>): unknown {
  const expr = parseExpr(params.query ?? '');
  const start = parseTime(params, 'start');
  const end = parseTime(params, 'end');
  const step = parseStep(params.step);
  if (end < start) throw new BadData('end timestamp must not be before start time');
  if ((end - start) / step > MAX_POINTS) {
    throw new BadData('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  if (expr.kind === 'string' || (expr.kind === 'selector' && expr.rangeS !== undefined)) {
    const type = expr.kind === 'string' ? 'string' : 'range vector';
    throw new BadData(`invalid expression type "${type}" for range query, must be Scalar or instant Vector`);
  }
  const times = Array.from({ length: Math.floor((end - start) / step) + 1 }, (_, i) => start + i * step);
  if (expr.kind === 'number') return { resultType: 'matrix', result: [{ metric: {}, values: times.map((t) => [t, formatSampleValue(expr.value)]) }] };
  const result = seeded
    .filter((series) => matchesLabels(series.labels, expr.matchers))
    .map((series) => ({
      metric: series.labels,
      values: times.flatMap((t) => {
        const value = valueAt(series, t);
        return value === undefined ? [] : [[t, formatSampleValue(value)]];
      }),
    }))
    .filter((series) => series.values.length > 0);
  return { resultType: 'matrix', result };
}

export async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const params = Object.fromEntries(url.searchParams);
  if (req.method !== 'POST') {
    req.resume();
    return params;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { ...params, ...Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())) };
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Delayed answers and keep-alive sockets would otherwise keep close() waiting.
    server.closeAllConnections();
  });
}

/** Answers later, unless the caller has gone away meanwhile. */
export function answerAfter(delayMs: number, res: ServerResponse, answer: () => void): void {
  if (delayMs <= 0) return answer();
  const timer = setTimeout(() => !res.destroyed && answer(), delayMs);
  res.once('close', () => clearTimeout(timer));
}

/**
 * A Prometheus HTTP API on 127.0.0.1 (`/api/v1/query`, `/api/v1/query_range`, GET or form POST) over
 * seeded series, with Prometheus' envelope, errorTypes and status codes.
 */
export async function startFakePrometheus(options: { series: FakeSeries[] }): Promise<FakePrometheus> {
  const requests: RecordedRequest[] = [];
  let delayMs = 0;
  let failure: PrometheusFailure | undefined;
  let warnings: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown): void => {
      answerAfter(delayMs, res, () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    };
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const params = await readParams(req);
    requests.push({ method: req.method ?? 'GET', path, params, headers: req.headers });
    const evaluate = path === '/api/v1/query' ? instant : path === '/api/v1/query_range' ? range : undefined;
    if (!evaluate) return answerAfter(delayMs, res, () => res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n'));
    if (failure) return send(failure.httpStatus, { status: 'error', errorType: failure.errorType, error: failure.error });
    try {
      send(200, { status: 'success', data: evaluate(options.series, params), ...(warnings.length > 0 && { warnings }) });
    } catch (error) {
      if (error instanceof BadData) send(400, { status: 'error', errorType: 'bad_data', error: error.message });
      else send(500, { status: 'error', errorType: 'internal', error: String(error) });
    }
  };
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  const url = await listen(server);

  return {
    url,
    requests,
    setDelay: (ms) => void (delayMs = ms),
    setFailure: (next) => void (failure = next),
    setWarnings: (next) => void (warnings = next),
    close: () => closeServer(server),
  };
}

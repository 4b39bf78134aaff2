import { z } from 'zod';
import type { Targets } from '../targets';

export type QueryApiTarget = Targets['prometheus'][string];
export type QueryApiKind = 'prometheus' | 'loki';

export type QueryApiOutcome =
  | { kind: 'success'; data: unknown; warnings: string[] }
  /** The API refused or failed the query: Prometheus' `errorType` (bad_data, execution, timeout …), or `http_<status>`. */
  | { kind: 'api_error'; errorType: string; error: string; httpStatus: number }
  | { kind: 'failure'; reason: string };

/** Large enough for capped query results; a runaway answer must not exhaust memory. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const ERROR_EXCERPT_CHARS = 300;

export function findQueryApiTarget(targets: Targets, kind: QueryApiKind, name: string): QueryApiTarget | undefined {
  return Object.hasOwn(targets[kind], name) ? targets[kind][name] : undefined;
}

export function unknownQueryApiTargetSummary(targets: Targets, kind: QueryApiKind, name: string): string {
  const names = Object.keys(targets[kind]);
  const configured = names.length > 0 ? `configured targets: ${names.join(', ')}` : `no ${kind} targets are configured`;
  return `Unknown ${kind} target "${name}"; ${configured}`;
}

const SuccessEnvelope = z.object({ status: z.literal('success'), data: z.unknown(), warnings: z.array(z.string()).optional() });
/** Prometheus: `{status:'error', errorType, error}`; some proxies and Loki versions use `message`. */
const ErrorEnvelope = z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional(), message: z.string().optional() });

/**
 * GET `baseUrl + path` with the target's headers. Appends rather than resolves the path, so a base URL
 * with a prefix keeps it; never follows redirects. An aborted signal rethrows so the runner can tell
 * cancel from timeout; everything else is an outcome.
 */
export async function getQueryApi(target: QueryApiTarget, path: string, params: Record<string, string>, signal: AbortSignal): Promise<QueryApiOutcome> {
  const url = `${target.baseUrl.replace(/\/+$/, '')}${path}?${new URLSearchParams(params).toString()}`;
  let status: number;
  let text: string | undefined;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json', ...target.headers }, redirect: 'manual', signal });
    status = response.status;
    text = await readCapped(response);
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: 'failure', reason: describeFailure(error) };
  }
  if (text === undefined) return { kind: 'failure', reason: `response larger than ${MAX_BODY_BYTES} bytes; narrow the query` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Loki answers bad queries with a plain-text body; proxies answer with HTML.
    const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, ERROR_EXCERPT_CHARS);
    return status >= 400
      ? { kind: 'api_error', errorType: `http_${status}`, error: excerpt || `HTTP ${status}`, httpStatus: status }
      : { kind: 'failure', reason: `HTTP ${status} with a body that is not JSON` };
  }
  const success = SuccessEnvelope.safeParse(json);
  if (success.success && status < 300) return { kind: 'success', data: success.data.data, warnings: success.data.warnings ?? [] };
  const failed = ErrorEnvelope.safeParse(json);
  if (failed.success) {
    const { errorType = `http_${status}`, error, message } = failed.data;
    return { kind: 'api_error', errorType, error: (error ?? message ?? 'no error message').slice(0, ERROR_EXCERPT_CHARS), httpStatus: status };
  }
  return { kind: 'failure', reason: `HTTP ${status} with an unexpected JSON body` };
}

/** undefined when the body exceeds the cap; the rest of the transfer is cancelled. */
async function readCapped(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** fetch reports network errors as TypeError('fetch failed') with the useful code on `cause`. */
function describeFailure(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

const RELATIVE_TIME = /^now(?:-(\d{1,6})(s|m|h|d))?$/;
const DURATION = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `now`, `now-15m`, an RFC 3339 time, or unix seconds. */
export const TimeArgSchema = z.union([
  z.number().nonnegative(),
  z.iso.datetime({ offset: true }),
  z.string().regex(RELATIVE_TIME, 'Expected now, now-<n>s|m|h|d, RFC 3339 or unix seconds'),
]);
export type TimeArg = z.infer<typeof TimeArgSchema>;

/** Seconds, or `30s`, `5m`, `1h`, `1d`. */
export const DurationArgSchema = z.union([z.number().positive(), z.string().regex(DURATION, 'Expected seconds or <n>s|m|h|d')]);
export type DurationArg = z.infer<typeof DurationArgSchema>;

export function timeArgMs(value: TimeArg, nowMs: number): number {
  if (typeof value === 'number') return value * 1_000;
  const relative = RELATIVE_TIME.exec(value);
  if (!relative) return Date.parse(value);
  const [, amount, unit] = relative;
  return amount && unit ? nowMs - Number(amount) * (UNIT_MS[unit] ?? 0) : nowMs;
}

export function durationArgMs(value: DurationArg): number {
  if (typeof value === 'number') return value * 1_000;
  const [, amount = '0', unit = 's'] = DURATION.exec(value) ?? [];
  return Number(amount) * (UNIT_MS[unit] ?? 0);
}

/** For people: `1h`, `90s`, `2d`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1_000);
  if (seconds % 86_400 === 0 && seconds > 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0 && seconds > 0) return `${seconds / 3_600}h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

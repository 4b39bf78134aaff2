import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';

/**
 * The Lark SDK client, logging through pino, and the one place that turns the SDK's two failure shapes
 * into a `LarkApiError`: an HTTP error (axios rejection carrying `response.status/data/headers`) or an
 * HTTP 200 answer whose body has a non-zero `code` (the SDK resolves those without complaint).
 */

export interface LarkClientOptions {
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn, https://open.larksuite.com, or a test fake's URL. */
  domain: string;
  logger: Logger;
  loggerLevel?: lark.LoggerLevel;
}

/** Throttled: the gateway's frequency limit, and the im APIs' per-chat / per-card limit. */
const THROTTLE_CODES = new Set([99991400, 230020]);
const MAX_LOGGED_CHARS = 2_000;
/** Fields the SDK may log (request configs, error bodies) that must not reach our logs. */
const SECRET_KEYS = /^(authorization|app_secret|appsecret|tenant_access_token|headers)$/i;

export function createLarkClient(options: LarkClientOptions): lark.Client {
  return new lark.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: options.domain,
    logger: larkSdkLogger(options.logger),
    loggerLevel: options.loggerLevel ?? lark.LoggerLevel.warn,
  });
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return `${part.name}: ${part.message}`;
  try {
    return JSON.stringify(part, (key, value: unknown) => (SECRET_KEYS.test(key) ? '[redacted]' : value)) ?? String(part);
  } catch {
    return Object.prototype.toString.call(part);
  }
}

/**
 * The SDK's logger interface over pino. The SDK passes its arguments as one array and logs whole axios
 * errors, so parts are flattened to text with credentials dropped. Its `error` lines go out as `warn`:
 * it logs every failed request, throttled ones we retry included, and we log our own verdict.
 */
export function larkSdkLogger(logger: Logger): lark.Logger {
  const child = logger.child({ component: 'lark-sdk' });
  const text = (parts: unknown[]): string => parts.flat().map(describe).join(' ').slice(0, MAX_LOGGED_CHARS);
  return {
    error: (...parts: unknown[]) => child.warn(text(parts)),
    warn: (...parts: unknown[]) => child.warn(text(parts)),
    info: (...parts: unknown[]) => child.info(text(parts)),
    debug: (...parts: unknown[]) => child.debug(text(parts)),
    trace: (...parts: unknown[]) => child.trace(text(parts)),
  };
}

export interface LarkApiErrorDetails {
  operation: string;
  code?: number;
  larkMsg?: string;
  httpStatus?: number;
  /** From `x-ogw-ratelimit-reset` (seconds) when Lark sent it. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class LarkApiError extends Error {
  override name = 'LarkApiError';
  readonly operation: string;
  readonly code: number | undefined;
  readonly larkMsg: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(details: LarkApiErrorDetails) {
    const parts = [
      details.code !== undefined ? `code ${details.code}` : undefined,
      details.larkMsg ? `msg "${details.larkMsg}"` : undefined,
      details.httpStatus !== undefined ? `HTTP ${details.httpStatus}` : undefined,
    ].filter((part): part is string => part !== undefined);
    const causeText = details.cause instanceof Error ? details.cause.message : 'no answer';
    super(`Lark ${details.operation} failed: ${parts.length > 0 ? parts.join(', ') : causeText}`, { cause: details.cause });
    this.operation = details.operation;
    this.code = details.code;
    this.larkMsg = details.larkMsg;
    this.httpStatus = details.httpStatus;
    this.retryAfterMs = details.retryAfterMs;
  }

  get throttled(): boolean {
    return this.httpStatus === 429 || (this.code !== undefined && THROTTLE_CODES.has(this.code));
  }

  /** No answer at all (connection reset, timeout) or a 5xx: the same request may well succeed again. */
  get transient(): boolean {
    return (this.httpStatus === undefined && this.code === undefined) || (this.httpStatus !== undefined && this.httpStatus >= 500);
  }
}

interface HttpErrorShape {
  response?: { status?: unknown; data?: unknown; headers?: unknown };
}

function field(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[key] : undefined;
}

function retryAfterMsOf(headers: unknown): number | undefined {
  const reset = field(headers, 'x-ogw-ratelimit-reset');
  const seconds = typeof reset === 'string' || typeof reset === 'number' ? Number(reset) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Whatever the SDK threw, as a LarkApiError naming Lark's code and msg when it answered. */
export function toLarkApiError(error: unknown, operation: string): LarkApiError {
  if (error instanceof LarkApiError) return error;
  const response = (error as HttpErrorShape | null)?.response;
  const data = response?.data;
  const code = field(data, 'code');
  const msg = field(data, 'msg');
  const status = response?.status;
  return new LarkApiError({
    operation,
    ...(typeof code === 'number' ? { code } : {}),
    ...(typeof msg === 'string' ? { larkMsg: msg } : {}),
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
    ...(response ? { retryAfterMs: retryAfterMsOf(response.headers) } : {}),
    cause: error,
  });
}

/** Returns the answer's `data` (empty when Lark sent none) if `code` is 0; otherwise throws a LarkApiError. */
export function larkData<T extends object>(answer: { code?: number; msg?: string; data?: T }, operation: string): Partial<T> {
  if (answer.code !== 0) {
    throw new LarkApiError({
      operation,
      ...(answer.code !== undefined ? { code: answer.code } : {}),
      ...(answer.msg !== undefined ? { larkMsg: answer.msg } : {}),
      httpStatus: 200,
    });
  }
  return answer.data ?? {};
}

/** Runs one SDK call: rejections and non-zero codes both come out as LarkApiError. */
export async function callLark<T extends object>(
  operation: string,
  call: () => Promise<{ code?: number; msg?: string; data?: T }>,
): Promise<Partial<T>> {
  let answer: { code?: number; msg?: string; data?: T };
  try {
    answer = await call();
  } catch (error) {
    throw toLarkApiError(error, operation);
  }
  return larkData(answer, operation);
}

import { z } from 'zod';
import { readTlsCertificate } from './_http/tls-certificate';
import type { TlsCertificateInfo } from './_http/tls-certificate';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';
import type { HttpTarget, Targets } from '../../src/plugins/targets';

/** Enough for health pages and error excerpts; a huge body must not exhaust memory. */
const MAX_BODY_BYTES = 64 * 1024;

export type HttpOutcome =
  | { kind: 'response'; url: string; status: number; body: string; location: string | null; latencyMs: number }
  | { kind: 'failure'; url: string; reason: string; latencyMs: number };

export function findHttpTarget(targets: Targets, name: string): HttpTarget | undefined {
  return Object.hasOwn(targets.http, name) ? targets.http[name] : undefined;
}

export function unknownTargetSummary(targets: Targets, name: string): string {
  const names = Object.keys(targets.http);
  const configured = names.length > 0 ? `configured targets: ${names.join(', ')}` : 'no http targets are configured';
  return `Unknown http target "${name}"; ${configured}`;
}

/** Appends rather than resolves, so a baseUrl with a path prefix keeps it and the host never changes. */
export function targetUrl(target: HttpTarget, path: string): string {
  return `${target.baseUrl.replace(/\/+$/, '')}${path}`;
}

/** Percent-decoded up to three times (`%252e` → `%2e` → `.`), as a chain of servers and proxies might. */
function decodedForms(path: string): string[] {
  const forms = [path];
  for (let i = 0; i < 3; i++) {
    const last = forms[forms.length - 1] ?? '';
    let next: string;
    try {
      next = decodeURIComponent(last);
    } catch {
      break;
    }
    if (next === last) break;
    forms.push(next);
  }
  return forms;
}

/**
 * The URL a model-chosen `path` leads to under the target, or why it is refused. The request carries
 * the target's headers (its credentials), so it must stay under the base path: no `.`/`..` segments,
 * plain or percent-encoded (`%2e%2e`, `..%2f`), no backslashes, and the resolved URL on the same
 * origin under the base path.
 */
export function urlUnderBase(target: HttpTarget, path: string): { url: string } | { problem: string } {
  const refused = { problem: `Path "${path}" leaves the base path of the target (${target.baseUrl}); give a path under it without "." or ".." segments.` };
  for (const form of decodedForms(path.split(/[?#]/)[0] ?? '')) {
    if (form.includes('\\') || form.split('/').some((segment) => segment === '.' || segment === '..')) return refused;
  }
  const url = targetUrl(target, path);
  let resolved: URL;
  let base: URL;
  try {
    resolved = new URL(url);
    base = new URL(target.baseUrl);
  } catch {
    return { problem: `Path "${path}" does not make a valid URL with the target's base ${target.baseUrl}.` };
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const under = resolved.pathname === basePath || resolved.pathname.startsWith(`${basePath}/`);
  return resolved.origin === base.origin && under ? { url } : refused;
}

/**
 * One request that never follows redirects (a 3xx could point at another host).
 * Network failures are outcomes; an aborted signal rethrows so the runner can tell cancel from timeout.
 */
export async function sendHttp(url: string, init: RequestInit, signal: AbortSignal): Promise<HttpOutcome> {
  const startedAt = performance.now();
  const latencyMs = () => Math.round(performance.now() - startedAt);
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal });
    const body = await readCappedBody(response);
    const location = response.headers.get('location');
    return { kind: 'response', url, status: response.status, body, location, latencyMs: latencyMs() };
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: 'failure', url, reason: describeFetchFailure(error), latencyMs: latencyMs() };
  }
}

async function readCappedBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  // Stops the transfer of the rest; the connection is not reused.
  if (size >= MAX_BODY_BYTES) await reader.cancel();
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES));
}

const FAILURE_BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response body',
};

/** fetch reports network errors as TypeError('fetch failed') with the useful code on `cause`. */
export function describeFetchFailure(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = errorCode(cause) ?? errorCode(error);
  const known = code === undefined ? undefined : FAILURE_BY_CODE[code];
  if (known) return known;
  const detail = cause instanceof Error ? cause.message : undefined;
  return detail ?? (error instanceof Error ? error.message : String(error));
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

export async function checkHealth(target: HttpTarget, signal: AbortSignal): Promise<'healthy' | 'unhealthy' | 'unreachable'> {
  const outcome = await sendHttp(targetUrl(target, target.healthPath), { headers: target.headers }, signal);
  if (outcome.kind === 'failure') return 'unreachable';
  return outcome.status === target.expectStatus ? 'healthy' : 'unhealthy';
}

const ProbeArgsSchema = z
  .object({
    target: z.string().min(1),
    path: z.string().startsWith('/').optional(),
    expectStatus: z.number().int().min(100).max(599).optional(),
    bodyIncludes: z.string().min(1).optional(),
    /** For https targets: fail when the certificate expires sooner than this. */
    minTlsDaysLeft: z.number().int().min(0).max(365).default(7),
  })
  .strict();
type ProbeArgs = z.infer<typeof ProbeArgsSchema>;

/** For https URLs, the certificate's expiry; a failure to read it is reported, not thrown. */
async function tlsOf(url: string, signal: AbortSignal): Promise<{ tls?: TlsCertificateInfo | { failure: string } }> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return {};
  try {
    return { tls: await readTlsCertificate(parsed, signal) };
  } catch (error) {
    if (signal.aborted) throw error;
    return { tls: { failure: describeFetchFailure(error) } };
  }
}

async function probe(args: ProbeArgs, ctx: PluginContext): Promise<PluginResult> {
  const target = findHttpTarget(ctx.targets, args.target);
  if (!target) return { status: 'error', summary: unknownTargetSummary(ctx.targets, args.target) };
  const expectStatus = args.expectStatus ?? target.expectStatus;
  const fenced = args.path === undefined ? { url: targetUrl(target, target.healthPath) } : urlUnderBase(target, args.path);
  if ('problem' in fenced) return { status: 'error', summary: fenced.problem };
  const outcome = await sendHttp(fenced.url, { headers: target.headers }, ctx.signal);
  const { url, latencyMs } = outcome;
  if (outcome.kind === 'failure') {
    // An expired or untrusted certificate is a common reason; say when it expires either way.
    const { tls } = await tlsOf(url, ctx.signal);
    const data = { url, latencyMs, ok: false, failure: outcome.reason, ...(tls ? { tls } : {}) };
    return { status: 'error', summary: `GET ${url} failed: ${outcome.reason}${tlsNote(tls)}`, data };
  }
  const { status } = outcome;
  const statusMatched = status === expectStatus;
  const bodyMatched = args.bodyIncludes === undefined ? undefined : outcome.body.includes(args.bodyIncludes);
  const { tls } = await tlsOf(url, ctx.signal);
  const expiring = tls && 'daysLeft' in tls && tls.daysLeft < args.minTlsDaysLeft ? tls : undefined;
  const ok = statusMatched && bodyMatched !== false && !expiring;
  const data = { status, latencyMs, url, ok, ...(bodyMatched === undefined ? {} : { bodyMatched }), ...(tls ? { tls } : {}) };
  if (ok) return { status: 'success', summary: `GET ${url} → ${status} in ${latencyMs} ms${tlsNote(tls)}`, data };
  if (statusMatched && bodyMatched !== false && expiring) {
    return { status: 'error', summary: `GET ${url} → ${status}, but its TLS certificate expires in ${expiring.daysLeft} day(s) (${expiring.validTo})`, data };
  }
  if (!statusMatched) {
    const redirect = outcome.location ? ` (redirect to ${outcome.location}, not followed)` : '';
    return { status: 'error', summary: `GET ${url} → ${status}${redirect}, expected ${expectStatus}`, data };
  }
  return { status: 'error', summary: `GET ${url} → ${status} but the body lacks "${args.bodyIncludes}"`, data };
}

function tlsNote(tls: TlsCertificateInfo | { failure: string } | undefined): string {
  if (!tls) return '';
  if ('failure' in tls) return `; TLS certificate unreadable: ${tls.failure}`;
  return `; TLS certificate valid ${tls.daysLeft} more day(s)${tls.trusted ? '' : ', not trusted by this host'}`;
}

export default definePlugin({
  id: 'http.probe',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'GET a configured HTTP target (its health endpoint unless a path is given) and check the status code, ' +
    'optionally that the body contains a string; for https, also when its TLS certificate expires. Use to see ' +
    'whether a service is up and answering.',
  summary: (args) => `Probe ${args.target}${args.path ?? ''}`,
  args: ProbeArgsSchema,
  timeoutMs: 10_000,
  idempotent: true,
  run: probe,
});

import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  FetchError,
  KubeConfig,
  PatchStrategy,
  ServerConfiguration,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { ConfigurationOptions, Middleware, RequestContext, ResponseContext } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Confirmation, PluginContext, PluginResult } from '../plugin';
import type { Targets } from '../targets';

export type KubernetesTarget = Targets['kubernetes'][string];

/** DNS-1123 label (namespaces) and subdomain (most object names), as the API server validates them. */
export const NamespaceSchema = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label').max(63);
export const ObjectNameSchema = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS-1123 subdomain').max(253);
export const LabelSelectorSchema = z.string().regex(/^[A-Za-z0-9._/=!,() -]*$/, 'a label selector such as app=web,tier!=db').max(512);
export const TargetNameSchema = z.string().min(1).describe('Name of a kubernetes target in the targets config');

/**
 * The client sends the first media type the API lists, JSON Patch, for every `patch*` call; these
 * per-call options set the content type the patch body is written in (kubernetes-client/javascript#287).
 */
export const PATCH_AS = {
  strategicMerge: setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  merge: setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  json: setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
} satisfies Record<string, ConfigurationOptions>;

export interface KubernetesConnection {
  targetName: string;
  core: CoreV1Api;
  apps: AppsV1Api;
}

/** Kubeconfig `certificate-authority-data` is base64 of the PEM; the targets file may hold either. */
function caDataOf(caData: string): string {
  return caData.includes('-----BEGIN') ? Buffer.from(caData).toString('base64') : caData.replace(/\s+/g, '');
}

function kubeConfigFor(name: string, target: KubernetesTarget): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server: target.server, skipTLSVerify: target.skipTlsVerify, ...(target.caData && { caData: caDataOf(target.caData) }) }],
    users: [{ name, ...(target.token && { token: target.token }) }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return kc;
}

/** node-fetch takes the signal from the request context; the generated client never sets one itself. */
function abortWith(signal: AbortSignal): Middleware {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(signal);
      return Promise.resolve(context);
    },
    post: (response: ResponseContext) => Promise.resolve(response),
  };
}

/** Checks everything that needs no request: the target exists, the namespace is allowed, the URL is usable. */
function checkAccess(ctx: PluginContext, targetName: string, namespace: string | undefined): KubernetesTarget | string {
  const target = Object.hasOwn(ctx.targets.kubernetes, targetName) ? ctx.targets.kubernetes[targetName] : undefined;
  if (!target) {
    const names = Object.keys(ctx.targets.kubernetes);
    const configured = names.length > 0 ? `configured targets: ${names.join(', ')}` : 'no kubernetes targets are configured';
    return `Unknown kubernetes target "${targetName}"; ${configured}`;
  }
  if (namespace !== undefined && !target.namespaces.includes(namespace)) {
    return `Namespace "${namespace}" is not allowed on kubernetes target "${targetName}"; allowed: ${target.namespaces.join(', ')}`;
  }
  // The client refuses plain http unless TLS verification is off; say so before any request.
  if (target.server.startsWith('http:') && !target.skipTlsVerify) {
    return `Kubernetes target "${targetName}" uses plain http; the client only allows that with skipTlsVerify: true`;
  }
  return target;
}

/**
 * Clients for one target, bound to the plugin's signal. `namespace` is checked against the target's
 * allowlist first; `undefined` is only for cluster-scoped reads (nodes).
 */
export function connectKubernetes(ctx: PluginContext, targetName: string, namespace: string | undefined): KubernetesConnection | { problem: string } {
  const target = checkAccess(ctx, targetName, namespace);
  if (typeof target === 'string') return { problem: target };
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(target.server.replace(/\/+$/, ''), {}),
    authMethods: { default: kubeConfigFor(targetName, target) },
    promiseMiddleware: [abortWith(ctx.signal)],
  });
  return { targetName, core: new CoreV1Api(configuration), apps: new AppsV1Api(configuration) };
}

export interface KubernetesFailure {
  message: string;
  httpStatus?: number;
  reason?: string;
}

const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out',
};

/** `ApiException.body` is the raw response text; a failure from the API server is a JSON `Status`. */
function statusOf(body: unknown): { message?: string; reason?: string } {
  if (typeof body !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { message, reason } = parsed as Record<string, unknown>;
    return { ...(typeof message === 'string' && { message }), ...(typeof reason === 'string' && { reason }) };
  } catch {
    return { message: body.slice(0, 200) };
  }
}

/**
 * API answers and network failures are expected outcomes. An abort is rethrown so the runner can tell a
 * timeout from a cancel; anything else is a bug and is rethrown too.
 */
export function kubernetesFailure(error: unknown, signal: AbortSignal): KubernetesFailure {
  if (signal.aborted) throw error;
  if (error instanceof ApiException) {
    const status = statusOf(error.body);
    const reason = status.reason ?? (error.code === 401 ? 'Unauthorized' : undefined);
    const detail = status.message ?? reason ?? 'no details';
    return { message: `${error.code}${reason ? ` ${reason}` : ''}: ${detail}`, httpStatus: error.code, ...(reason && { reason }) };
  }
  if (error instanceof FetchError) {
    const known = error.code === undefined ? undefined : NETWORK_FAILURES[error.code];
    return { message: known ?? error.message };
  }
  throw error;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

export function refused(problem: string): PluginResult {
  return { status: 'error', summary: problem };
}

/** Runs a plugin body; an expected API or network failure becomes an error result naming what was attempted. */
export async function kubernetesResult(ctx: PluginContext, attempt: string, work: () => Promise<PluginResult>): Promise<PluginResult> {
  try {
    return await work();
  } catch (error) {
    const failure = kubernetesFailure(error, ctx.signal);
    const data = { ...(failure.httpStatus !== undefined && { httpStatus: failure.httpStatus }), ...(failure.reason && { reason: failure.reason }) };
    return { status: 'error', summary: `${attempt} failed: ${failure.message}`, data };
  }
}

/** For dry runs: a failure is part of the plan text. */
export async function kubernetesPlan(ctx: PluginContext, work: () => Promise<string>): Promise<string> {
  try {
    return await work();
  } catch (error) {
    return `Cannot plan: ${kubernetesFailure(error, ctx.signal).message}`;
  }
}

/** For recovery: when the cluster cannot be asked, the outcome is unknown. */
export async function kubernetesConfirm(ctx: PluginContext, work: () => Promise<Confirmation>): Promise<Confirmation> {
  try {
    return await work();
  } catch (error) {
    const failure = kubernetesFailure(error, ctx.signal);
    ctx.logger.warn({ failure }, 'could not confirm a kubernetes change');
    return 'unknown';
  }
}

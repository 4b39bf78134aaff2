import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controllers, revisionOf } from './controller';
import { Handlers } from './handlers';
import type { ApiResponse } from './handlers';
import { parseApiPath } from './routes';
import type { ApiPath } from './routes';
import { seedDeployment, seedEvent, seedNode, seedPod } from './seed';
import type { DeploymentSeed, EventSeed, NodeSeed, PodSeed } from './seed';
import { ApiError, badRequest, forbidden, unauthorized } from './status';
import { ClusterState } from './store';
import type { PodLogs } from './store';
import type { Deployment, Json, KubeEvent, Pod, ReplicaSet } from './types';

const MAX_BODY_BYTES = 1024 * 1024;

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/apis/apps/v1/namespaces/shop/deployments/web/scale`. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: Json | string | undefined;
  /** The answer's status code; 0 while unanswered. */
  status: number;
  /** The client closed the connection before the answer (e.g. its request was aborted). */
  hungUp: boolean;
}

/** RBAC, reduced to "deny this": `resource` may name a subresource (`deployments/scale`, `pods/log`). */
export interface ForbidRule {
  verb?: 'get' | 'list' | 'patch' | 'update' | 'delete';
  resource: string;
  namespace?: string;
  name?: string;
}

export interface FakeKubernetesOptions {
  token?: string;
  /** The user named in Forbidden messages. */
  user?: string;
}

export interface FakeKubernetes {
  url: string;
  token: string;
  /** Every request, in arrival order, including refused ones. */
  readonly requests: RecordedRequest[];
  clearRequests(): void;

  addNamespace(name: string): void;
  addDeployment(seed: DeploymentSeed): Deployment;
  addPod(seed: PodSeed): Pod;
  addEvent(seed: EventSeed): KubeEvent;
  addNode(seed: NodeSeed): void;
  setLogs(namespace: string, pod: string, container: string, logs: PodLogs): void;

  forbid(rule: ForbidRule): void;
  /** Delays every answer; a client that gives up first just closes the connection. */
  setLatency(ms: number): void;
  /** The deployment's rollouts stop progressing: Progressing=False, ProgressDeadlineExceeded. */
  stall(namespace: string, deployment: string): void;
  /** Lets time pass: pending pods become ready, rollouts finish, terminating pods go away. */
  advance(): void;

  deployment(namespace: string, name: string): Deployment | undefined;
  pod(namespace: string, name: string): Pod | undefined;
  pods(namespace: string): Pod[];
  /** A deployment's ReplicaSets, oldest revision first. */
  replicaSets(namespace: string, deployment: string): ReplicaSet[];
  close(): Promise<void>;
}

function verbOf(method: string, path: ApiPath): string {
  if (method === 'GET') return path.name === undefined ? 'list' : 'get';
  return { PATCH: 'patch', PUT: 'update', DELETE: 'delete', POST: 'create' }[method] ?? method.toLowerCase();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > MAX_BODY_BYTES) throw badRequest('request entity too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string, contentType: string): Json | string | undefined {
  if (text === '') return undefined;
  if (!contentType.includes('json')) return text;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw badRequest(`couldn't get version/kind; json parse error: invalid JSON in the ${contentType} body`);
  }
}

/** Resolves when `ms` pass, or early (false) when the client hangs up. */
function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once('close', onClose);
  });
}

function send(res: ServerResponse, response: ApiResponse): void {
  if (res.destroyed) return;
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  res.writeHead(response.status, { 'content-type': response.contentType, 'content-length': Buffer.byteLength(text) }).end(text);
}

/**
 * An in-memory Kubernetes API server on 127.0.0.1: bearer-token auth, the REST paths and JSON shapes of
 * core/v1 and apps/v1 for pods (and their logs), events, nodes, namespaces, deployments (and `/scale`) and
 * ReplicaSets; JSON, merge and strategic merge patches; Status objects for every failure.
 */
export async function startFakeKubernetes(options: FakeKubernetesOptions = {}): Promise<FakeKubernetes> {
  const token = options.token ?? 'fake-token';
  const user = options.user ?? 'system:serviceaccount:ops:ai-fixer';
  const state = new ClusterState();
  const controllers = new Controllers(state);
  const handlers = new Handlers(state, controllers);
  const requests: RecordedRequest[] = [];
  const rules: ForbidRule[] = [];
  let latencyMs = 0;

  const authorize = (verb: string, path: ApiPath): void => {
    const resource = path.subresource ? `${path.resource}/${path.subresource}` : path.resource;
    const denied = rules.some(
      (rule) =>
        rule.resource === resource &&
        (rule.verb === undefined || rule.verb === verb) &&
        (rule.namespace === undefined || rule.namespace === path.namespace) &&
        (rule.name === undefined || rule.name === path.name),
    );
    if (denied) {
      const ref = { resource: path.resource, group: path.group, ...(path.name !== undefined && { name: path.name }) };
      throw forbidden(ref, verb, path.namespace, user, path.subresource);
    }
  };

  const answer = async (req: IncomingMessage, url: URL, contentType: string, entry: RecordedRequest): Promise<ApiResponse> => {
    const text = await readBody(req);
    if (req.headers.authorization !== `Bearer ${token}`) throw unauthorized();
    const path = parseApiPath(url.pathname);
    const method = req.method ?? 'GET';
    authorize(verbOf(method, path), path);
    const body = parseBody(text, contentType);
    entry.body = body;
    return handlers.handle({ method, path, query: url.searchParams, contentType, body: typeof body === 'string' ? undefined : body });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const entry: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: contentType || undefined,
      body: undefined,
      status: 0,
      hungUp: false,
    };
    requests.push(entry);
    res.once('close', () => {
      if (!res.writableFinished) entry.hungUp = true;
    });
    const respond = (response: ApiResponse): void => {
      entry.status = response.status;
      send(res, response);
    };
    void (async () => {
      if (!(await waitUnlessClosed(res, latencyMs))) return;
      try {
        respond(await answer(req, url, contentType, entry));
      } catch (error) {
        if (error instanceof ApiError) respond({ status: error.status.code, body: { ...error.status }, contentType: 'application/json' });
        else {
          const message = error instanceof Error ? error.message : String(error);
          respond({ status: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 }, contentType: 'application/json' });
        }
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    clearRequests: () => void requests.splice(0),
    addNamespace: (name) => state.ensureNamespace(name),
    addDeployment: (seed) => seedDeployment(state, controllers, seed),
    addPod: (seed) => seedPod(state, seed),
    addEvent: (seed) => seedEvent(state, seed),
    addNode: (seed) => void seedNode(state, seed),
    setLogs: (namespace, pod, container, logs) => void state.logs.set(`${namespace}/${pod}/${container}`, logs),
    forbid: (rule) => void rules.push(rule),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    stall: (namespace, name) => {
      state.stalled.add(`${namespace}/${name}`);
      const dep = state.deployments.get(namespace, name);
      if (dep) controllers.refresh(dep);
    },
    advance: () => controllers.advance(),
    deployment: (namespace, name) => state.deployments.get(namespace, name),
    pod: (namespace, name) => state.pods.get(namespace, name),
    pods: (namespace) => state.pods.list(namespace),
    replicaSets: (namespace, name) => {
      const dep = state.deployments.get(namespace, name);
      return dep ? controllers.replicaSetsOf(dep).sort((a, b) => revisionOf(a) - revisionOf(b)) : [];
    },
    close: async () => {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

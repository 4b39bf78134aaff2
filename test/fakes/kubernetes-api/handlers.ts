import type { Controllers } from './controller';
import { applyPatch, isObject } from './patch';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { resourceInfo } from './routes';
import type { ApiPath } from './routes';
import { badRequest, conflict, invalid, methodNotAllowed, notFound } from './status';
import type { ResourceRef } from './status';
import type { ClusterState, ObjectMap } from './store';
import type { Deployment, Json, JsonObject, KubeObject, Pod, Scale } from './types';

export interface ApiRequest {
  method: string;
  path: ApiPath;
  query: URLSearchParams;
  /** Without parameters, e.g. `application/merge-patch+json`. */
  contentType: string;
  body: Json | undefined;
}

export interface ApiResponse {
  status: number;
  body: Json | string;
  contentType: 'application/json' | 'text/plain';
}

function json(value: unknown, status = 200): ApiResponse {
  return { status, body: JSON.parse(JSON.stringify(value)) as Json, contentType: 'application/json' };
}

function toJson(value: KubeObject): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function ref(path: ApiPath): ResourceRef {
  return { resource: path.resource, group: path.group, ...(path.name !== undefined && { name: path.name }) };
}

/** Fields a field selector can see, flattened. */
function fieldsOf(item: KubeObject): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = { 'metadata.name': item.metadata.name, 'metadata.namespace': item.metadata.namespace };
  const walk = (prefix: string, value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') flat[prefix] = String(value);
    else if (value && typeof value === 'object' && !Array.isArray(value) && prefix.split('.').length < 3) {
      for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, inner);
    }
  };
  for (const [key, value] of Object.entries(item)) if (key !== 'metadata') walk(key, value);
  const { source } = item as { source?: { component?: string } };
  if (source) flat.source = source.component;
  return flat;
}

/** The API server's behaviour for the few resources and verbs our plugins use, over the in-memory state. */
export class Handlers {
  constructor(
    private readonly state: ClusterState,
    private readonly controllers: Controllers,
  ) {}

  private store(path: ApiPath): ObjectMap<KubeObject> {
    const stores: Record<string, ObjectMap<KubeObject>> = {
      namespaces: this.state.namespaces,
      nodes: this.state.nodes,
      pods: this.state.pods,
      events: this.state.events,
      deployments: this.state.deployments,
      replicasets: this.state.replicaSets,
    };
    const store = stores[path.resource];
    if (!store) throw notFound(ref(path));
    return store;
  }

  handle(request: ApiRequest): ApiResponse {
    const { method, path } = request;
    if (path.name === undefined) {
      if (method === 'GET') return this.list(request);
      throw methodNotAllowed(method);
    }
    const route = `${method} ${path.resource}${path.subresource ? `/${path.subresource}` : ''}`;
    switch (route) {
      case 'GET pods':
      case 'GET events':
      case 'GET nodes':
      case 'GET namespaces':
      case 'GET deployments':
      case 'GET replicasets':
        return json(this.find(path));
      case 'GET pods/log':
        return this.podLog(request);
      case 'DELETE pods':
        return this.deletePod(request);
      case 'PATCH deployments':
        return this.patchDeployment(request);
      case 'GET deployments/scale':
        return json(this.scaleOf(this.find(path) as Deployment));
      case 'PATCH deployments/scale':
      case 'PUT deployments/scale':
        return this.updateScale(request);
      default:
        throw methodNotAllowed(method);
    }
  }

  private find(path: ApiPath): KubeObject {
    const found = this.store(path).get(path.namespace, path.name ?? '');
    if (!found) throw notFound(ref(path));
    return found;
  }

  private list({ path, query }: ApiRequest): ApiResponse {
    const info = resourceInfo(path);
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), info.fields);
    const matching = this.store(path)
      .list(path.namespace)
      .filter((item) => labels(item.metadata.labels) && fields(fieldsOf(item)));
    const offset = Number(Buffer.from(query.get('continue') ?? '', 'base64url').toString() || '0');
    const limit = Number(query.get('limit') ?? '0');
    const page = limit > 0 ? matching.slice(offset, offset + limit) : matching.slice(offset);
    const remaining = matching.length - offset - page.length;
    const metadata = {
      resourceVersion: this.state.resourceVersion,
      ...(remaining > 0 && { continue: Buffer.from(String(offset + page.length)).toString('base64url'), remainingItemCount: remaining }),
    };
    // List items carry no apiVersion/kind of their own, as on a real server.
    const items = page.map(({ apiVersion: _apiVersion, kind: _kind, ...rest }) => rest);
    const apiVersion = path.group ? `${path.group}/${path.version}` : path.version;
    return json({ apiVersion, kind: `${info.kind}List`, metadata, items });
  }

  private podLog({ path, query }: ApiRequest): ApiResponse {
    const pod = this.find(path) as Pod;
    const names = pod.spec.containers.map((container) => container.name);
    const container = query.get('container') ?? (names.length === 1 ? names[0] : undefined);
    if (container === undefined) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
    if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    const logs = this.state.logs.get(`${pod.metadata.namespace}/${pod.metadata.name}/${container}`);
    const previous = query.get('previous') === 'true';
    let lines: string[];
    if (previous) {
      if (!logs?.previous) throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
      lines = logs.previous;
    } else {
      const waiting = pod.status.containerStatuses.find((status) => status.name === container)?.state.waiting;
      if (waiting?.reason === 'ContainerCreating') {
        throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
      }
      lines = logs?.current ?? [];
    }
    const tail = Number(query.get('tailLines') ?? '-1');
    const shown = tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines;
    let text = shown.map((line) => `${line}\n`).join('');
    const limitBytes = Number(query.get('limitBytes') ?? '0');
    if (limitBytes > 0) text = Buffer.from(text).subarray(0, limitBytes).toString();
    return { status: 200, body: text, contentType: 'text/plain' };
  }

  private deletePod({ path, query, body }: ApiRequest): ApiResponse {
    const pod = this.find(path) as Pod;
    const options = isObject(body) ? body : {};
    const preconditions = isObject(options.preconditions) ? options.preconditions : {};
    if (typeof preconditions.uid === 'string' && preconditions.uid !== pod.metadata.uid) {
      throw conflict(ref(path), `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${pod.metadata.uid}`);
    }
    if (typeof preconditions.resourceVersion === 'string' && preconditions.resourceVersion !== pod.metadata.resourceVersion) {
      throw conflict(ref(path), 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const grace = Number(query.get('gracePeriodSeconds') ?? (typeof options.gracePeriodSeconds === 'number' ? options.gracePeriodSeconds : 30));
    if (query.get('dryRun') === 'All' || pod.metadata.deletionTimestamp) return json(pod);
    const before = structuredClone(pod);
    this.controllers.podDeleted(pod, grace);
    return json(this.state.pods.get(pod.metadata.namespace, pod.metadata.name) ?? before);
  }

  private patchDeployment({ path, query, contentType, body }: ApiRequest): ApiResponse {
    const dep = this.find(path) as Deployment;
    const patched = applyPatch(contentType, toJson(dep), body ?? null) as unknown as Deployment;
    if (!isObject(patched.metadata as unknown as Json) || !isObject(patched.spec as unknown as Json)) {
      throw invalid('Deployment', ref(path), 'metadata, spec: Required value');
    }
    if (patched.metadata.resourceVersion !== dep.metadata.resourceVersion) {
      throw conflict(ref(path), 'the object has been modified; please apply your changes to the latest version and try again');
    }
    // Identity is immutable and status belongs to the status subresource: changes to either are dropped.
    const next: Deployment = { ...patched, apiVersion: dep.apiVersion, kind: dep.kind, status: dep.status };
    next.metadata = { ...patched.metadata, name: dep.metadata.name, namespace: dep.metadata.namespace, uid: dep.metadata.uid, creationTimestamp: dep.metadata.creationTimestamp };
    this.validate(next, path);
    if (JSON.stringify(next.spec) !== JSON.stringify(dep.spec)) next.metadata.generation = (dep.metadata.generation ?? 1) + 1;
    if (query.get('dryRun') === 'All') return json(next);
    this.state.deployments.put(next);
    this.controllers.sync(next);
    return json(next);
  }

  private validate(dep: Deployment, path: ApiPath): void {
    const { replicas } = dep.spec;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Deployment', ref(path), `spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
    }
    const labels = dep.spec.template.metadata.labels ?? {};
    const matches = Object.entries(dep.spec.selector.matchLabels).every(([key, value]) => labels[key] === value);
    if (!matches) throw invalid('Deployment', ref(path), 'spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`');
    if (!Array.isArray(dep.spec.template.spec?.containers) || dep.spec.template.spec.containers.length === 0) {
      throw invalid('Deployment', ref(path), 'spec.template.spec.containers: Required value');
    }
  }

  private scaleOf(dep: Deployment): Scale {
    const { name, namespace, uid, resourceVersion, creationTimestamp } = dep.metadata;
    const selector = Object.entries(dep.spec.selector.matchLabels).map(([key, value]) => `${key}=${value}`).join(',');
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name, ...(namespace !== undefined && { namespace }), uid, resourceVersion, creationTimestamp },
      spec: { replicas: dep.spec.replicas },
      status: { replicas: dep.status.replicas, selector },
    };
  }

  private updateScale({ method, path, query, contentType, body }: ApiRequest): ApiResponse {
    const dep = this.find(path) as Deployment;
    const current = this.scaleOf(dep);
    const wanted = (method === 'PUT' ? body : applyPatch(contentType, toJson(current), body ?? null)) as unknown as Scale | undefined;
    const version = isObject(wanted?.metadata as unknown as Json) ? wanted?.metadata.resourceVersion : undefined;
    if (version && version !== current.metadata.resourceVersion) {
      throw conflict(ref(path), 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const replicas = wanted?.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Scale', { ...ref(path), group: 'autoscaling' }, `spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`);
    }
    if (query.get('dryRun') === 'All' || replicas === dep.spec.replicas) return json({ ...current, spec: { replicas } });
    dep.spec.replicas = replicas;
    dep.metadata.generation = (dep.metadata.generation ?? 1) + 1;
    this.state.deployments.put(dep);
    this.controllers.sync(dep);
    return json(this.scaleOf(dep));
  }
}

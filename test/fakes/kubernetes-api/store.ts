import { randomUUID } from 'node:crypto';
import type { Deployment, KubeEvent, KubeObject, Namespace, Node, Pod, ReplicaSet } from './types';

export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One kind's objects, keyed by namespace and name; every write gets a fresh resourceVersion, as in etcd. */
export class ObjectMap<T extends KubeObject> {
  private readonly items = new Map<string, T>();

  constructor(private readonly nextVersion: () => string) {}

  private static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(ObjectMap.key(namespace, name));
  }

  /** Sorted by namespace then name, the order the API server lists in. */
  list(namespace?: string): T[] {
    return [...this.items.values()]
      .filter((item) => namespace === undefined || item.metadata.namespace === namespace)
      .sort((a, b) => ObjectMap.key(a.metadata.namespace, a.metadata.name).localeCompare(ObjectMap.key(b.metadata.namespace, b.metadata.name)));
  }

  put(item: T): T {
    item.metadata.resourceVersion = this.nextVersion();
    this.items.set(ObjectMap.key(item.metadata.namespace, item.metadata.name), item);
    return item;
  }

  delete(namespace: string | undefined, name: string): boolean {
    return this.items.delete(ObjectMap.key(namespace, name));
  }
}

export interface PodLogs {
  current: string[];
  previous?: string[];
}

export class ClusterState {
  private version = 1000;
  private readonly next = (): string => String(++this.version);

  readonly namespaces = new ObjectMap<Namespace>(this.next);
  readonly pods = new ObjectMap<Pod>(this.next);
  readonly deployments = new ObjectMap<Deployment>(this.next);
  readonly replicaSets = new ObjectMap<ReplicaSet>(this.next);
  readonly events = new ObjectMap<KubeEvent>(this.next);
  readonly nodes = new ObjectMap<Node>(this.next);
  /** Keyed `namespace/pod/container`. */
  readonly logs = new Map<string, PodLogs>();
  /** Deployments (`namespace/name`) whose rollouts never finish: their Progressing condition times out. */
  readonly stalled = new Set<string>();

  get resourceVersion(): string {
    return String(this.version);
  }

  uid(): string {
    return randomUUID();
  }

  meta(namespace: string | undefined, name: string): KubeObject['metadata'] {
    return { name, ...(namespace === undefined ? {} : { namespace }), uid: this.uid(), resourceVersion: '', creationTimestamp: now() };
  }

  ensureNamespace(name: string): void {
    if (this.namespaces.get(undefined, name)) return;
    this.namespaces.put({ apiVersion: 'v1', kind: 'Namespace', metadata: this.meta(undefined, name), status: { phase: 'Active' } });
  }

  /** Like the event recorder: a repeat of the same reason and message on the same object bumps `count`. */
  recordEvent(namespace: string, involved: { kind: string; name: string; uid?: string }, type: KubeEvent['type'], reason: string, message: string): void {
    const existing = this.events
      .list(namespace)
      .find((event) => event.involvedObject.name === involved.name && event.involvedObject.kind === involved.kind && event.reason === reason && event.message === message);
    if (existing) {
      existing.count += 1;
      existing.lastTimestamp = now();
      this.events.put(existing);
      return;
    }
    const name = `${involved.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
    const component = involved.kind === 'Pod' ? 'kubelet' : 'deployment-controller';
    this.events.put({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: this.meta(namespace, name),
      involvedObject: { ...involved, namespace },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now(),
      lastTimestamp: now(),
      source: { component },
      reportingComponent: component,
    });
  }
}

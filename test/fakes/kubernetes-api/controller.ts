import { createHash } from 'node:crypto';
import { isPodReady, isTerminating, podStatus } from './pod-status';
import type { PodState } from './pod-status';
import { now } from './store';
import type { ClusterState } from './store';
import type { Condition, Deployment, Json, Pod, PodTemplate, ReplicaSet } from './types';

export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const HASH_LABEL = 'pod-template-hash';
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function stableJson(value: Json | undefined): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Like the deployment controller's pod-template-hash: equal templates map to the same ReplicaSet. */
export function templateHash(template: PodTemplate): string {
  const labels = Object.fromEntries(Object.entries(template.metadata.labels).filter(([key]) => key !== HASH_LABEL));
  const plain = JSON.parse(JSON.stringify({ ...template, metadata: { ...template.metadata, labels } })) as Json;
  const digest = createHash('sha256').update(stableJson(plain)).digest();
  return [...digest.subarray(0, 10)].map((byte) => NAME_ALPHABET[byte % NAME_ALPHABET.length]).join('');
}

function suffix(length: number): string {
  return Array.from({ length }, () => NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)]).join('');
}

export function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? '0');
}

function ownedBy(uid: string) {
  return (item: { metadata: { ownerReferences?: { uid: string; controller?: boolean }[] } }): boolean =>
    item.metadata.ownerReferences?.some((ref) => ref.controller === true && ref.uid === uid) ?? false;
}

/**
 * A synchronous stand-in for the deployment and ReplicaSet controllers and the kubelet: template changes make
 * (or reuse) a ReplicaSet with the next revision, new pods start Pending, and `advance()` finishes rollouts.
 */
export class Controllers {
  private nodeTurn = 0;

  constructor(private readonly state: ClusterState) {}

  replicaSetsOf(dep: Deployment): ReplicaSet[] {
    return this.state.replicaSets.list(dep.metadata.namespace).filter(ownedBy(dep.metadata.uid));
  }

  podsOf(rs: ReplicaSet): Pod[] {
    return this.state.pods.list(rs.metadata.namespace).filter(ownedBy(rs.metadata.uid));
  }

  private activePodsOf(rs: ReplicaSet): Pod[] {
    return this.podsOf(rs).filter((pod) => !isTerminating(pod));
  }

  createReplicaSet(dep: Deployment, template: PodTemplate, revision: number): ReplicaSet {
    const hash = templateHash(template);
    const namespace = dep.metadata.namespace ?? 'default';
    const labels = { ...template.metadata.labels, [HASH_LABEL]: hash };
    const meta = this.state.meta(namespace, `${dep.metadata.name}-${hash}`);
    return this.state.replicaSets.put({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        ...meta,
        generation: 1,
        labels,
        annotations: { [REVISION]: String(revision), 'deployment.kubernetes.io/desired-replicas': String(dep.spec.replicas) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name, uid: dep.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: { ...dep.spec.selector.matchLabels, [HASH_LABEL]: hash } },
        template: { ...structuredClone(template), metadata: { ...structuredClone(template.metadata), labels } },
      },
      status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, fullyLabeledReplicas: 0, observedGeneration: 1 },
    });
  }

  createPod(rs: ReplicaSet, state: PodState): Pod {
    const namespace = rs.metadata.namespace ?? 'default';
    const name = `${rs.metadata.name}-${suffix(5)}`;
    const containers = structuredClone(rs.spec.template.spec.containers);
    const nodes = this.state.nodes.list();
    const node = nodes.length > 0 ? nodes[this.nodeTurn++ % nodes.length]?.metadata.name : 'node-1';
    return this.state.pods.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...this.state.meta(namespace, name),
        labels: { ...rs.spec.template.metadata.labels },
        ...(rs.spec.template.metadata.annotations && { annotations: { ...rs.spec.template.metadata.annotations } }),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { ...(state === 'unschedulable' ? {} : { nodeName: node ?? 'node-1' }), containers },
      status: podStatus(state, containers, name),
    });
  }

  /** After a spec change: pick or create the ReplicaSet for the template and size it; old pods wait for `advance()`. */
  sync(dep: Deployment): void {
    const owned = this.replicaSetsOf(dep);
    const hash = templateHash(dep.spec.template);
    const maxRevision = Math.max(0, ...owned.map(revisionOf));
    let current = owned.find((rs) => rs.metadata.labels?.[HASH_LABEL] === hash);
    if (!current) {
      current = this.createReplicaSet(dep, dep.spec.template, maxRevision + 1);
    } else if (revisionOf(current) < maxRevision) {
      // A rollback: the old ReplicaSet is reused and becomes the newest revision.
      const annotations = current.metadata.annotations ?? {};
      const history = [annotations[REVISION_HISTORY], annotations[REVISION]].filter(Boolean).join(',');
      current.metadata.annotations = { ...annotations, [REVISION]: String(maxRevision + 1), [REVISION_HISTORY]: history };
      this.state.replicaSets.put(current);
    }
    dep.metadata.annotations = { ...dep.metadata.annotations, [REVISION]: String(revisionOf(current)) };
    if (!dep.spec.paused) this.resize(dep, current, dep.spec.replicas);
    this.refresh(dep);
  }

  private resize(dep: Deployment, rs: ReplicaSet, replicas: number): void {
    const before = rs.spec.replicas;
    rs.spec.replicas = replicas;
    this.state.replicaSets.put(rs);
    this.reconcilePods(rs);
    if (before !== replicas) {
      const direction = replicas > before ? 'up' : 'down';
      const message = `Scaled ${direction} replica set ${rs.metadata.name} from ${before} to ${replicas}`;
      this.state.recordEvent(dep.metadata.namespace ?? 'default', { kind: 'Deployment', name: dep.metadata.name, uid: dep.metadata.uid }, 'Normal', 'ScalingReplicaSet', message);
    }
  }

  /** The ReplicaSet controller: replace missing pods (they start Pending), remove extra ones, unready first. */
  reconcilePods(rs: ReplicaSet): void {
    const active = this.activePodsOf(rs);
    for (let count = active.length; count < rs.spec.replicas; count++) this.createPod(rs, 'pending');
    const extra = active.sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b))).slice(0, Math.max(0, active.length - rs.spec.replicas));
    for (const pod of extra) this.state.pods.delete(pod.metadata.namespace, pod.metadata.name);
  }

  /** A deleted pod terminates (keeps a deletionTimestamp) until `advance()`; its controller replaces it at once. */
  podDeleted(pod: Pod, gracePeriodSeconds: number): void {
    if (gracePeriodSeconds === 0) this.state.pods.delete(pod.metadata.namespace, pod.metadata.name);
    else {
      pod.metadata.deletionTimestamp = now();
      pod.metadata.deletionGracePeriodSeconds = gracePeriodSeconds;
      this.state.pods.put(pod);
    }
    const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller === true && ref.kind === 'ReplicaSet');
    const rs = owner && this.state.replicaSets.get(pod.metadata.namespace, owner.name);
    if (!rs) return;
    this.reconcilePods(rs);
    this.refreshOwnerOf(rs);
  }

  private refreshOwnerOf(rs: ReplicaSet): void {
    const owner = rs.metadata.ownerReferences?.find((ref) => ref.controller === true && ref.kind === 'Deployment');
    const dep = owner && this.state.deployments.get(rs.metadata.namespace, owner.name);
    if (dep) this.refresh(dep);
  }

  /** Time passes: terminating pods go, new pods become ready, finished rollouts scale old ReplicaSets to zero. */
  advance(): void {
    for (const pod of this.state.pods.list()) {
      if (isTerminating(pod)) this.state.pods.delete(pod.metadata.namespace, pod.metadata.name);
    }
    for (const dep of this.state.deployments.list()) {
      if (this.state.stalled.has(`${dep.metadata.namespace}/${dep.metadata.name}`) || dep.spec.paused) continue;
      const hash = templateHash(dep.spec.template);
      for (const rs of this.replicaSetsOf(dep)) {
        if (rs.metadata.labels?.[HASH_LABEL] === hash) {
          for (const pod of this.podsOf(rs)) {
            if (pod.status.phase === 'Pending' && pod.spec.nodeName !== undefined) {
              pod.status = podStatus('running', pod.spec.containers, pod.metadata.name);
              this.state.pods.put(pod);
            }
          }
        } else if (rs.spec.replicas > 0 || this.podsOf(rs).length > 0) {
          this.resize(dep, rs, 0);
        }
      }
      this.refresh(dep);
    }
  }

  /** Recomputes status from the pods, as the controllers' status updates would. */
  refresh(dep: Deployment): void {
    const hash = templateHash(dep.spec.template);
    const owned = this.replicaSetsOf(dep);
    let replicas = 0;
    let updated = 0;
    let ready = 0;
    let currentName = `${dep.metadata.name}-${hash}`;
    for (const rs of owned) {
      const active = this.activePodsOf(rs);
      const readyCount = active.filter(isPodReady).length;
      rs.status = { replicas: active.length, readyReplicas: readyCount, availableReplicas: readyCount, fullyLabeledReplicas: active.length, observedGeneration: rs.metadata.generation ?? 1 };
      this.state.replicaSets.put(rs);
      replicas += active.length;
      ready += readyCount;
      if (rs.metadata.labels?.[HASH_LABEL] === hash) {
        updated = active.length;
        currentName = rs.metadata.name;
      }
    }
    const desired = dep.spec.replicas;
    const complete = updated === desired && replicas === desired && ready === desired;
    const stalled = this.state.stalled.has(`${dep.metadata.namespace}/${dep.metadata.name}`) && !complete;
    const minAvailable = desired - Math.floor(desired / 4);
    const previous = dep.status.conditions;
    const progressing = stalled
      ? condition(previous, 'Progressing', false, 'ProgressDeadlineExceeded', `ReplicaSet "${currentName}" has timed out progressing.`)
      : complete
        ? condition(previous, 'Progressing', true, 'NewReplicaSetAvailable', `ReplicaSet "${currentName}" has successfully progressed.`)
        : condition(previous, 'Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${currentName}" is progressing.`);
    const available =
      ready >= minAvailable
        ? condition(previous, 'Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : condition(previous, 'Available', false, 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
    dep.status = {
      observedGeneration: dep.metadata.generation ?? 1,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: Math.max(0, desired - ready),
      conditions: [available, progressing],
    };
    this.state.deployments.put(dep);
  }
}

function condition(previous: Condition[], type: string, ok: boolean, reason: string, message: string): Condition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const lastTransitionTime = before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : now();
  return { type, status, reason, message, lastUpdateTime: now(), lastTransitionTime };
}

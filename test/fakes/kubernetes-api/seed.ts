import type { Controllers } from './controller';
import { REVISION } from './controller';
import { podStatus } from './pod-status';
import type { PodState } from './pod-status';
import { now } from './store';
import type { ClusterState } from './store';
import type { Container, Deployment, KubeEvent, Node, OwnerReference, Pod, PodTemplate } from './types';

export interface DeploymentSeed {
  namespace: string;
  name: string;
  replicas?: number;
  /** One image per revision, oldest first; the last is the current revision. */
  images?: string[];
  /** States of the current revision's pods, in order; missing entries are `running`. */
  podStates?: PodState[];
  /** Extra containers after the main one (named after the deployment). */
  sidecars?: Container[];
  paused?: boolean;
}

export interface PodSeed {
  namespace: string;
  name: string;
  state?: PodState;
  containers?: Container[];
  /** A controller that owns the pod; none by default (a bare pod nothing would recreate). */
  owner?: Pick<OwnerReference, 'kind' | 'name'>;
  node?: string;
}

export interface EventSeed {
  namespace: string;
  kind: string;
  name: string;
  reason: string;
  message: string;
  type?: KubeEvent['type'];
  count?: number;
  minutesAgo?: number;
}

export type NodePressure = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

export interface NodeSeed {
  name: string;
  ready?: boolean;
  pressure?: NodePressure[];
  unschedulable?: boolean;
  allocatable?: Record<string, string>;
}

function template(seed: DeploymentSeed, image: string): PodTemplate {
  return {
    metadata: { labels: { app: seed.name } },
    spec: { containers: [{ name: seed.name, image, resources: { limits: { memory: '256Mi' } } }, ...(seed.sidecars ?? [])] },
  };
}

/** A deployment with a ReplicaSet per revision; only the last revision has pods. */
export function seedDeployment(state: ClusterState, controllers: Controllers, seed: DeploymentSeed): Deployment {
  state.ensureNamespace(seed.namespace);
  const images = seed.images ?? [`registry.local/${seed.name}:1.0`];
  const replicas = seed.replicas ?? 3;
  const current = template(seed, images[images.length - 1] ?? `registry.local/${seed.name}:1.0`);
  const dep: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...state.meta(seed.namespace, seed.name), generation: images.length, labels: { app: seed.name }, annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { app: seed.name } },
      template: current,
      ...(seed.paused && { paused: true }),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
    },
    status: { observedGeneration: 0, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 0, conditions: [] },
  };
  state.deployments.put(dep);
  const sets = images.map((image, index) => controllers.createReplicaSet(dep, template(seed, image), index + 1));
  const latest = sets[sets.length - 1];
  if (latest) {
    latest.spec.replicas = replicas;
    state.replicaSets.put(latest);
    for (let index = 0; index < replicas; index++) controllers.createPod(latest, seed.podStates?.[index] ?? 'running');
    dep.metadata.annotations = { [REVISION]: String(images.length) };
  }
  controllers.refresh(dep);
  return dep;
}

export function seedPod(state: ClusterState, seed: PodSeed): Pod {
  state.ensureNamespace(seed.namespace);
  const containers = seed.containers ?? [{ name: 'main', image: 'registry.local/tool:1.0' }];
  const owner = seed.owner;
  const ownerReferences = owner && [{ apiVersion: 'apps/v1', ...owner, uid: state.uid(), controller: true }];
  return state.pods.put({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...state.meta(seed.namespace, seed.name), labels: { run: seed.name }, ...(ownerReferences && { ownerReferences }) },
    spec: { nodeName: seed.node ?? 'node-1', containers },
    status: podStatus(seed.state ?? 'running', containers, seed.name),
  });
}

export function seedEvent(state: ClusterState, seed: EventSeed): KubeEvent {
  state.ensureNamespace(seed.namespace);
  const at = new Date(Date.now() - (seed.minutesAgo ?? 1) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const component = seed.kind === 'Pod' ? 'kubelet' : 'deployment-controller';
  return state.events.put({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: state.meta(seed.namespace, `${seed.name}.${state.uid().slice(0, 8)}`),
    involvedObject: { kind: seed.kind, name: seed.name, namespace: seed.namespace },
    reason: seed.reason,
    message: seed.message,
    type: seed.type ?? 'Warning',
    count: seed.count ?? 1,
    firstTimestamp: at,
    lastTimestamp: at,
    source: { component },
    reportingComponent: component,
  });
}

export function seedNode(state: ClusterState, seed: NodeSeed): Node {
  const pressure = new Set(seed.pressure ?? []);
  const heartbeat = { lastHeartbeatTime: now(), lastTransitionTime: now() };
  const pressureCondition = (type: NodePressure, quiet: string, loud: string): Node['status']['conditions'][number] => ({
    type,
    status: pressure.has(type) ? 'True' : 'False',
    reason: pressure.has(type) ? loud : quiet,
    message: pressure.has(type) ? `kubelet has ${type.replace('Pressure', '').toLowerCase()} pressure` : `kubelet has sufficient ${type.replace('Pressure', '').toLowerCase()}`,
    ...heartbeat,
  });
  const allocatable = seed.allocatable ?? { cpu: '3920m', memory: '15Gi', pods: '110', 'ephemeral-storage': '95Gi' };
  return state.nodes.put({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { ...state.meta(undefined, seed.name), labels: { 'kubernetes.io/hostname': seed.name } },
    spec: seed.unschedulable ? { unschedulable: true } : {},
    status: {
      conditions: [
        pressureCondition('MemoryPressure', 'KubeletHasSufficientMemory', 'KubeletHasInsufficientMemory'),
        pressureCondition('DiskPressure', 'KubeletHasNoDiskPressure', 'KubeletHasDiskPressure'),
        pressureCondition('PIDPressure', 'KubeletHasSufficientPID', 'KubeletHasInsufficientPID'),
        seed.ready === false
          ? { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', ...heartbeat }
          : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', ...heartbeat },
      ],
      capacity: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable,
      nodeInfo: { kubeletVersion: 'v1.31.2', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.22' },
    },
  });
}

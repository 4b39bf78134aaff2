/** The JSON shapes the fake stores and serves: the subset of the Kubernetes API objects our plugins read. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface Container {
  name: string;
  image: string;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: Container[] };
}

export interface ContainerState {
  running?: { startedAt: string };
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string };
}

export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastHeartbeatTime?: string;
}

export interface Pod extends KubeObject {
  spec: { nodeName?: string; containers: Container[] };
  status: {
    phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    conditions: Condition[];
    containerStatuses: ContainerStatus[];
    startTime?: string;
    reason?: string;
    message?: string;
  };
}

export interface Deployment extends KubeObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
    paused?: boolean;
    strategy: { type: 'RollingUpdate'; rollingUpdate: { maxSurge: string; maxUnavailable: string } };
    progressDeadlineSeconds: number;
    revisionHistoryLimit: number;
  };
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    readyReplicas: number;
    availableReplicas: number;
    unavailableReplicas: number;
    conditions: Condition[];
  };
}

export interface ReplicaSet extends KubeObject {
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate };
  status: { replicas: number; readyReplicas: number; availableReplicas: number; fullyLabeledReplicas: number; observedGeneration: number };
}

export interface KubeEvent extends KubeObject {
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string; apiVersion?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source: { component: string; host?: string };
  reportingComponent: string;
}

export interface Node extends KubeObject {
  spec: { unschedulable?: boolean };
  status: {
    conditions: Condition[];
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    nodeInfo: { kubeletVersion: string; osImage: string; containerRuntimeVersion: string };
  };
}

export interface Namespace extends KubeObject {
  status: { phase: 'Active' };
}

/** autoscaling/v1 Scale, as the `/scale` subresource serves it. */
export interface Scale extends KubeObject {
  spec: { replicas: number };
  status: { replicas: number; selector: string };
}

export { startFakeKubernetes } from './server';
export type { FakeKubernetes, FakeKubernetesOptions, ForbidRule, RecordedRequest } from './server';
export type { DeploymentSeed, EventSeed, NodePressure, NodeSeed, PodSeed } from './seed';
export type { PodState } from './pod-status';
export type { PodLogs } from './store';
export type { Deployment, Pod, ReplicaSet } from './types';

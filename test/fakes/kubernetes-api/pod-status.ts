import { now } from './store';
import type { Condition, Container, ContainerStatus, Pod } from './types';

/** What the kubelet would report; the state applies to the first container, the others run fine. */
export type PodState = 'running' | 'pending' | 'unready' | 'crashloop' | 'oomkilled' | 'failed' | 'succeeded' | 'unschedulable';

function containerStatus(container: Container, state: PodState, podName: string): ContainerStatus {
  const base = { name: container.name, image: container.image, restartCount: 0, lastState: {} };
  const running = { running: { startedAt: now() } };
  switch (state) {
    case 'running':
      return { ...base, ready: true, started: true, state: running };
    case 'unready':
      return { ...base, ready: false, started: true, state: running };
    case 'pending':
    case 'unschedulable':
      return { ...base, ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } } };
    case 'crashloop':
    case 'oomkilled': {
      const oom = state === 'oomkilled';
      const message = `back-off 5m0s restarting failed container=${container.name} pod=${podName}`;
      return {
        ...base,
        ready: false,
        started: false,
        restartCount: oom ? 4 : 7,
        state: { waiting: { reason: 'CrashLoopBackOff', message } },
        lastState: { terminated: { exitCode: oom ? 137 : 1, reason: oom ? 'OOMKilled' : 'Error', startedAt: now(), finishedAt: now() } },
      };
    }
    case 'failed':
      return { ...base, ready: false, started: false, state: { terminated: { exitCode: 1, reason: 'Error', finishedAt: now() } } };
    case 'succeeded':
      return { ...base, ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: now() } } };
  }
}

const PHASE: Record<PodState, Pod['status']['phase']> = {
  running: 'Running',
  unready: 'Running',
  crashloop: 'Running',
  oomkilled: 'Running',
  pending: 'Pending',
  unschedulable: 'Pending',
  failed: 'Failed',
  succeeded: 'Succeeded',
};

function condition(type: string, ok: boolean, reason?: string, message?: string): Condition {
  return { type, status: ok ? 'True' : 'False', lastTransitionTime: now(), ...(reason && { reason }), ...(message && { message }) };
}

export function podStatus(state: PodState, containers: Container[], podName: string): Pod['status'] {
  if (state === 'unschedulable') {
    const message = '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available.';
    return { phase: 'Pending', conditions: [condition('PodScheduled', false, 'Unschedulable', message)], containerStatuses: [] };
  }
  const statuses = containers.map((container, index) => containerStatus(container, index === 0 ? state : 'running', podName));
  const ready = statuses.every((status) => status.ready);
  const notReady = ready ? undefined : 'ContainersNotReady';
  const detail = ready ? undefined : `containers with unready status: [${statuses.filter((s) => !s.ready).map((s) => s.name).join(' ')}]`;
  return {
    phase: PHASE[state],
    startTime: now(),
    conditions: [
      condition('PodScheduled', true),
      condition('Initialized', true),
      condition('ContainersReady', ready, notReady, detail),
      condition('Ready', ready, notReady, detail),
    ],
    containerStatuses: statuses,
  };
}

export function isPodReady(pod: Pod): boolean {
  return pod.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

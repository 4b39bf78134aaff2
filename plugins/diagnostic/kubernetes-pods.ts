import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import {
  connectKubernetes,
  kubernetesResult,
  LabelSelectorSchema,
  NamespaceSchema,
  refused,
  TargetNameSchema,
} from '../../src/plugins/connections/kubernetes';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';

/** Enough for any namespace we would diagnose; more is reported as truncated rather than fetched. */
const LIST_LIMIT = 500;
const SUMMARY_PROBLEMS = 3;
/** Waiting reasons that are part of a normal start, not a problem. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

export interface ContainerSummary {
  name: string;
  ready: boolean;
  restarts: number;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  reason?: string;
  lastTermination?: { reason: string; exitCode: number; finishedAt?: string };
}

export interface PodSummary {
  name: string;
  uid: string;
  phase: string;
  ready: string;
  restarts: number;
  node: string | null;
  owner: string | null;
  terminating: boolean;
  healthy: boolean;
  problems: string[];
  containers: ContainerSummary[];
}

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The controller that would recreate the pod, as `Kind/name`. */
export function controllerOf(pod: V1Pod): { kind: string; name: string; uid: string } | undefined {
  const owner = pod.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  return owner && { kind: owner.kind, name: owner.name, uid: owner.uid };
}

function summarizeContainer(status: V1ContainerStatus): ContainerSummary {
  const { state, lastState } = status;
  const current = state?.running ? 'running' : state?.waiting ? 'waiting' : state?.terminated ? 'terminated' : 'unknown';
  const reason = state?.waiting?.reason ?? state?.terminated?.reason;
  const last = lastState?.terminated;
  return {
    name: status.name,
    ready: status.ready,
    restarts: status.restartCount,
    state: current,
    ...(reason && { reason }),
    ...(last && {
      lastTermination: { reason: last.reason ?? 'Unknown', exitCode: last.exitCode, ...(last.finishedAt && { finishedAt: last.finishedAt.toISOString() }) },
    }),
  };
}

function containerProblems(container: ContainerSummary): string[] {
  const problems: string[] = [];
  const last = container.lastTermination;
  const lastText = last ? `last terminated ${last.reason} (exit ${last.exitCode})` : undefined;
  if (container.state === 'waiting' && container.reason && !STARTING.has(container.reason)) {
    problems.push(`${container.name}: ${container.reason}${lastText ? `, ${lastText}` : ''}`);
  } else if (last?.reason === 'OOMKilled') {
    problems.push(`${container.name}: ${lastText}, ${container.restarts} restarts`);
  } else if (container.state === 'terminated' && container.reason !== 'Completed') {
    problems.push(`${container.name}: terminated ${container.reason ?? ''}`.trim());
  } else if (container.state === 'running' && !container.ready) {
    problems.push(`${container.name}: running but not ready`);
  }
  return problems;
}

export function summarizePod(pod: V1Pod): PodSummary {
  const containers = (pod.status?.containerStatuses ?? []).map(summarizeContainer);
  const phase = pod.status?.phase ?? 'Unknown';
  const owner = controllerOf(pod);
  const terminating = pod.metadata?.deletionTimestamp !== undefined;
  const problems = containers.flatMap(containerProblems);
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) problems.push(`unschedulable: ${unscheduled.message ?? unscheduled.reason ?? 'no node fits'}`);
  if (phase === 'Failed' || phase === 'Unknown') problems.push(`phase ${phase}${pod.status?.reason ? `: ${pod.status.reason}` : ''}`);
  const ready = isPodReady(pod);
  return {
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    phase,
    ready: `${containers.filter((c) => c.ready).length}/${pod.spec?.containers.length ?? containers.length}`,
    restarts: containers.reduce((sum, c) => sum + c.restarts, 0),
    node: pod.spec?.nodeName ?? null,
    owner: owner ? `${owner.kind}/${owner.name}` : null,
    terminating,
    healthy: phase === 'Succeeded' || (phase === 'Running' && ready && !terminating && problems.length === 0),
    problems,
    containers,
  };
}

const PodsArgsSchema = z
  .object({
    target: TargetNameSchema,
    namespace: NamespaceSchema,
    labelSelector: LabelSelectorSchema.optional(),
    limit: z.number().int().min(1).max(200).default(50).describe('Most pods listed in the result; unhealthy ones first'),
  })
  .strict();
type PodsArgs = z.infer<typeof PodsArgsSchema>;

function scope(args: PodsArgs): string {
  return args.labelSelector ? `${args.namespace} (${args.labelSelector})` : args.namespace;
}

async function listPods(args: PodsArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  return kubernetesResult(ctx, `Listing pods in ${scope(args)}`, async () => {
    const list = await kube.core.listNamespacedPod({ namespace: args.namespace, labelSelector: args.labelSelector, limit: LIST_LIMIT });
    const truncated = list.metadata?._continue !== undefined;
    const pods = list.items.map(summarizePod);
    if (pods.length === 0) return { status: 'no_data', summary: `No pods in ${scope(args)}`, data: { namespace: args.namespace, count: 0, pods: [] } };
    const unhealthy = pods.filter((pod) => !pod.healthy);
    const shown = [...unhealthy, ...pods.filter((pod) => pod.healthy)].slice(0, args.limit);
    const data = { namespace: args.namespace, count: pods.length, unhealthy: unhealthy.length, truncated, pods: shown };
    const head = `${pods.length}${truncated ? '+' : ''} pods in ${scope(args)}: ${pods.length - unhealthy.length} healthy`;
    if (unhealthy.length === 0) return { status: 'success', summary: head, data };
    const details = unhealthy
      .slice(0, SUMMARY_PROBLEMS)
      .map((pod) => `${pod.name} ${pod.problems.join('; ') || `${pod.phase}, ${pod.ready} ready`}`)
      .join(' | ');
    const more = unhealthy.length > SUMMARY_PROBLEMS ? ` | +${unhealthy.length - SUMMARY_PROBLEMS} more` : '';
    return { status: 'error', summary: `${head}, ${unhealthy.length} unhealthy — ${details}${more}`, data };
  });
}

export default definePlugin({
  id: 'kubernetes.pods',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'List pods in an allowed namespace of a kubernetes target (optionally by label selector) with phase, readiness, ' +
    'restarts, node, owner, waiting reasons such as CrashLoopBackOff and the last termination reason such as OOMKilled. ' +
    'Succeeds only when every pod is healthy, so it also serves as a verification check.',
  summary: (args) => `List pods in ${scope(args)} on ${args.target}`,
  args: PodsArgsSchema,
  timeoutMs: 15_000,
  idempotent: true,
  run: listPods,
});

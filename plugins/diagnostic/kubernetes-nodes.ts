import type { V1Node } from '@kubernetes/client-node';
import { z } from 'zod';
import { connectKubernetes, kubernetesResult, LabelSelectorSchema, refused, TargetNameSchema } from '../../src/plugins/connections/kubernetes';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';

const PRESSURES = ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;
const ALLOCATABLE = ['cpu', 'memory', 'pods', 'ephemeral-storage'] as const;
const SUMMARY_NODES = 3;

interface NodeSummary {
  name: string;
  ready: string;
  readyReason: string | null;
  pressure: string[];
  unschedulable: boolean;
  healthy: boolean;
  allocatable: Record<string, string>;
  kubeletVersion: string | null;
}

function summarize(node: V1Node): NodeSummary {
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const pressure = PRESSURES.filter((type) => conditions.some((c) => c.type === type && c.status === 'True'));
  const allocatable = Object.fromEntries(ALLOCATABLE.flatMap((key) => (node.status?.allocatable?.[key] ? [[key, node.status.allocatable[key]]] : [])));
  const unschedulable = node.spec?.unschedulable ?? false;
  return {
    name: node.metadata?.name ?? '',
    ready: ready?.status ?? 'Unknown',
    readyReason: ready?.reason ?? null,
    pressure,
    unschedulable,
    healthy: ready?.status === 'True' && pressure.length === 0,
    allocatable,
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? null,
  };
}

function problemOf(node: NodeSummary): string {
  const parts = [node.ready === 'True' ? '' : `Ready=${node.ready}${node.readyReason ? ` (${node.readyReason})` : ''}`, ...node.pressure];
  return `${node.name} ${parts.filter(Boolean).join(', ')}`;
}

const NodesArgsSchema = z
  .object({
    target: TargetNameSchema,
    labelSelector: LabelSelectorSchema.optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
type NodesArgs = z.infer<typeof NodesArgsSchema>;

/** Nodes are cluster-scoped: the target's namespace allowlist does not apply, reading them needs cluster RBAC. */
async function listNodes(args: NodesArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, undefined);
  if ('problem' in kube) return refused(kube.problem);
  return kubernetesResult(ctx, `Listing nodes of ${args.target}`, async () => {
    const list = await kube.core.listNode({ labelSelector: args.labelSelector, limit: args.limit });
    const nodes = list.items.map(summarize);
    const truncated = list.metadata?._continue !== undefined;
    if (nodes.length === 0) return { status: 'no_data', summary: `No nodes on ${args.target}`, data: { count: 0, nodes: [] } };
    const unhealthy = nodes.filter((node) => !node.healthy);
    const cordoned = nodes.filter((node) => node.unschedulable).length;
    const data = { count: nodes.length, unhealthy: unhealthy.length, cordoned, truncated, nodes: [...unhealthy, ...nodes.filter((node) => node.healthy)] };
    const head = `${nodes.length}${truncated ? '+' : ''} nodes on ${args.target}: ${nodes.length - unhealthy.length} ready without pressure${cordoned > 0 ? `, ${cordoned} cordoned` : ''}`;
    if (unhealthy.length === 0) return { status: 'success', summary: head, data };
    const details = unhealthy.slice(0, SUMMARY_NODES).map(problemOf).join(' | ');
    const more = unhealthy.length > SUMMARY_NODES ? ` | +${unhealthy.length - SUMMARY_NODES} more` : '';
    return { status: 'error', summary: `${head}; ${unhealthy.length} unhealthy — ${details}${more}`, data };
  });
}

export default definePlugin({
  id: 'kubernetes.nodes',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'Node conditions on a kubernetes target: Ready, MemoryPressure, DiskPressure, PIDPressure, cordoned, and allocatable ' +
    'cpu/memory/pods. Use when pods are Pending, evicted or OOMKilled across a node. Succeeds only when every node is ' +
    'Ready without pressure.',
  summary: (args) => `Node conditions on ${args.target}`,
  args: NodesArgsSchema,
  timeoutMs: 15_000,
  idempotent: true,
  run: listNodes,
});

import type { V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { controllerOf, isPodReady, summarizePod } from '../diagnostic/kubernetes-pods';
import {
  connectKubernetes,
  isNotFound,
  kubernetesConfirm,
  kubernetesPlan,
  kubernetesResult,
  NamespaceSchema,
  ObjectNameSchema,
  refused,
  TargetNameSchema,
} from '../../src/plugins/connections/kubernetes';
import type { KubernetesConnection } from '../../src/plugins/connections/kubernetes';
import { definePlugin } from '../../src/plugins/plugin';
import type { Confirmation, PluginContext, PluginResult } from '../../src/plugins/plugin';

/** Controllers that recreate a deleted pod. Jobs are left out: a deleted job pod can count as a failure. */
const RECREATING_OWNERS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet']);
/** Owners whose pods get generated names, so a pod found under the same name is the same pod. */
const GENERATED_NAMES = new Set(['ReplicaSet', 'DaemonSet']);
const SIBLINGS_LIMIT = 1000;

const DeletePodArgsSchema = z
  .object({
    target: TargetNameSchema,
    namespace: NamespaceSchema,
    pod: ObjectNameSchema,
    uid: z.guid().optional().describe('The pod uid from kubernetes.pods; pins the exact pod so a replacement is never deleted'),
  })
  .strict();
type DeletePodArgs = z.infer<typeof DeletePodArgsSchema>;

function subject(args: DeletePodArgs): string {
  return `${args.namespace}/${args.pod}`;
}

type Checked = { pod: V1Pod; owner: { kind: string; name: string; uid: string } } | { problem: string };

/** Deletes only what comes back, and never the last ready pod of its controller. */
async function check(kube: KubernetesConnection, args: DeletePodArgs): Promise<Checked> {
  const pod = await kube.core.readNamespacedPod({ namespace: args.namespace, name: args.pod });
  if (args.uid !== undefined && pod.metadata?.uid !== args.uid) {
    return { problem: `pod ${subject(args)} now has uid ${pod.metadata?.uid ?? '?'}, not ${args.uid}: it was already replaced` };
  }
  const owner = controllerOf(pod);
  if (!owner || !RECREATING_OWNERS.has(owner.kind)) {
    const by = owner ? `its controller is a ${owner.kind}` : 'it has no controller';
    return { problem: `pod ${subject(args)} would not come back (${by}); only pods of a ReplicaSet, StatefulSet or DaemonSet are deleted` };
  }
  if (isPodReady(pod) && pod.metadata?.deletionTimestamp === undefined) {
    const pods = await kube.core.listNamespacedPod({ namespace: args.namespace, limit: SIBLINGS_LIMIT });
    const readySiblings = pods.items.filter(
      (other) =>
        other.metadata?.uid !== pod.metadata?.uid &&
        other.metadata?.deletionTimestamp === undefined &&
        controllerOf(other)?.uid === owner.uid &&
        isPodReady(other),
    );
    if (readySiblings.length === 0) {
      return { problem: `pod ${subject(args)} is the only ready pod of ${owner.kind}/${owner.name}; deleting it would leave none serving` };
    }
  }
  return { pod, owner };
}

async function deletePod(args: DeletePodArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  return kubernetesResult(ctx, `Deleting pod ${subject(args)}`, async () => {
    const checked = await check(kube, args);
    if ('problem' in checked) return { status: 'error', summary: `Refused to delete: ${checked.problem}` };
    const { pod, owner } = checked;
    const uid = pod.metadata?.uid ?? '';
    const data = { pod: subject(args), uid, owner: `${owner.kind}/${owner.name}`, node: pod.spec?.nodeName ?? null };
    if (pod.metadata?.deletionTimestamp !== undefined) {
      return { status: 'success', summary: `Pod ${subject(args)} is already terminating`, data: { ...data, changed: false } };
    }
    // The uid precondition makes the server refuse (409) if the name now belongs to a replacement.
    await kube.core.deleteNamespacedPod({ namespace: args.namespace, name: args.pod, body: { preconditions: { uid } } });
    return { status: 'success', summary: `Deleted pod ${subject(args)} (uid ${uid}); ${owner.kind}/${owner.name} will replace it`, data: { ...data, changed: true } };
  });
}

async function plan(args: DeletePodArgs, ctx: PluginContext): Promise<string> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return `Cannot run: ${kube.problem}`;
  return kubernetesPlan(ctx, async () => {
    const checked = await check(kube, args);
    if ('problem' in checked) return `Cannot run: ${checked.problem}`;
    const summary = summarizePod(checked.pod);
    const problems = summary.problems.length > 0 ? `; ${summary.problems.join('; ')}` : '';
    return (
      `Delete pod ${subject(args)} on ${args.target} (uid ${summary.uid}, ${summary.phase}, ${summary.ready} ready, ` +
      `${summary.restarts} restarts, node ${summary.node ?? 'none'}${problems}); ${checked.owner.kind}/${checked.owner.name} creates a replacement`
    );
  });
}

/** Gone, terminating or replaced means applied; a same-named pod is only known to be the same one by uid or a generated name. */
async function confirm(args: DeletePodArgs, ctx: PluginContext): Promise<Confirmation> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return 'unknown';
  return kubernetesConfirm(ctx, async () => {
    let pod: V1Pod;
    try {
      pod = await kube.core.readNamespacedPod({ namespace: args.namespace, name: args.pod });
    } catch (error) {
      if (isNotFound(error)) return 'applied';
      throw error;
    }
    if (pod.metadata?.deletionTimestamp !== undefined) return 'applied';
    if (args.uid !== undefined) return pod.metadata?.uid === args.uid ? 'not_applied' : 'applied';
    const owner = controllerOf(pod);
    return owner && GENERATED_NAMES.has(owner.kind) ? 'not_applied' : 'unknown';
  });
}

export default definePlugin({
  id: 'kubernetes.delete_pod',
  version: 1,
  category: 'remediation',
  // Low because it refuses pods nothing recreates and the last ready pod of a controller.
  risk: 'low',
  blastRadius: 'single',
  description:
    'Delete one named pod in an allowed namespace of a kubernetes target so its controller (ReplicaSet, StatefulSet, ' +
    'DaemonSet) recreates it. Refuses bare pods and the last ready pod of its controller. Use for a single stuck or ' +
    'wedged pod; for all pods of a deployment use kubernetes.rollout_restart.',
  summary: (args) => `Delete pod ${subject(args)} on ${args.target} (its controller recreates it)`,
  args: DeletePodArgsSchema,
  timeoutMs: 30_000,
  // A StatefulSet pod comes back under the same name; without a uid a second run would delete the replacement.
  idempotent: false,
  // A deleted pod is gone (its controller starts a new one); its in-memory state does not come back.
  undo: 'none',
  run: deletePod,
  dryRun: plan,
  confirm,
});

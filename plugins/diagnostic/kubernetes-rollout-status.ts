import type { V1Deployment } from '@kubernetes/client-node';
import { z } from 'zod';
import {
  connectKubernetes,
  kubernetesResult,
  NamespaceSchema,
  ObjectNameSchema,
  refused,
  TargetNameSchema,
} from '../../src/plugins/connections/kubernetes';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export type RolloutState = 'complete' | 'progressing' | 'stalled' | 'waiting_for_controller';

export interface RolloutStatus {
  state: RolloutState;
  message: string;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  total: number;
  revision: string | null;
  paused: boolean;
  generation: number;
  observedGeneration: number;
  conditions: { type: string; status: string; reason: string | null; message: string | null }[];
}

/** The same reading of a deployment's status as `kubectl rollout status`. */
export function rolloutStatus(dep: V1Deployment): RolloutStatus {
  const name = dep.metadata?.name ?? '';
  const status = dep.status;
  const desired = dep.spec?.replicas ?? 1;
  const updated = status?.updatedReplicas ?? 0;
  const total = status?.replicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  const generation = dep.metadata?.generation ?? 0;
  const observedGeneration = status?.observedGeneration ?? 0;
  const conditions = (status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? null, message: c.message ?? null }));
  const base = {
    desired,
    updated,
    ready: status?.readyReplicas ?? 0,
    available,
    total,
    revision: dep.metadata?.annotations?.[REVISION_ANNOTATION] ?? null,
    paused: dep.spec?.paused ?? false,
    generation,
    observedGeneration,
    conditions,
  };
  const at = (state: RolloutState, message: string): RolloutStatus => ({ ...base, state, message });
  if (generation > observedGeneration) return at('waiting_for_controller', 'Waiting for deployment spec update to be observed');
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return at('stalled', `deployment "${name}" exceeded its progress deadline`);
  const waiting = `Waiting for deployment "${name}" rollout to finish`;
  if (updated < desired) return at('progressing', `${waiting}: ${updated} out of ${desired} new replicas have been updated`);
  if (total > updated) return at('progressing', `${waiting}: ${total - updated} old replicas are pending termination`);
  if (available < updated) return at('progressing', `${waiting}: ${available} of ${updated} updated replicas are available`);
  return at('complete', `deployment "${name}" successfully rolled out`);
}

const RolloutStatusArgsSchema = z
  .object({ target: TargetNameSchema, namespace: NamespaceSchema, deployment: ObjectNameSchema })
  .strict();
type RolloutStatusArgs = z.infer<typeof RolloutStatusArgsSchema>;

async function readRollout(args: RolloutStatusArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  const subject = `${args.namespace}/${args.deployment}`;
  return kubernetesResult(ctx, `Reading deployment ${subject}`, async () => {
    const dep = await kube.apps.readNamespacedDeployment({ namespace: args.namespace, name: args.deployment });
    const rollout = rolloutStatus(dep);
    const counts = `${rollout.updated}/${rollout.desired} updated, ${rollout.ready} ready, ${rollout.available} available`;
    const paused = rollout.paused ? ', paused' : '';
    const summary = `${subject} revision ${rollout.revision ?? '?'}: ${rollout.message} (${counts}${paused})`;
    return { status: rollout.state === 'complete' ? 'success' : 'error', summary, data: { deployment: subject, ...rollout } };
  });
}

export default definePlugin({
  id: 'kubernetes.rollout_status',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    "A deployment's rollout in an allowed namespace of a kubernetes target, read as `kubectl rollout status` does: desired, " +
    'updated, ready and available replicas, conditions, revision, and whether it is complete, progressing or stalled ' +
    '(progress deadline exceeded). Succeeds only when the rollout is complete, so it also verifies a restart or rollback.',
  summary: (args) => `Rollout status of ${args.namespace}/${args.deployment} on ${args.target}`,
  args: RolloutStatusArgsSchema,
  timeoutMs: 15_000,
  idempotent: true,
  run: readRollout,
});

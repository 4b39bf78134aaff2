import { z } from 'zod';
import { rolloutStatus } from '../diagnostic/kubernetes-rollout-status';
import {
  connectKubernetes,
  kubernetesConfirm,
  kubernetesPlan,
  kubernetesResult,
  NamespaceSchema,
  ObjectNameSchema,
  PATCH_AS,
  refused,
  TargetNameSchema,
} from '../../src/plugins/connections/kubernetes';
import { definePlugin } from '../../src/plugins/plugin';
import type { Confirmation, PluginContext, PluginResult } from '../../src/plugins/plugin';

/** The pod-template annotation `kubectl rollout restart` sets; a new value is a new template, hence a rollout. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

const RestartArgsSchema = z
  .object({
    target: TargetNameSchema,
    namespace: NamespaceSchema,
    deployment: ObjectNameSchema,
    restartedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('Value for the restartedAt annotation (defaults to now). A fixed value makes a repeat a no-op and lets recovery confirm the restart.'),
  })
  .strict();
type RestartArgs = z.infer<typeof RestartArgsSchema>;

function subject(args: RestartArgs): string {
  return `${args.namespace}/${args.deployment}`;
}

/** RFC 3339 in seconds, as kubectl writes it. */
function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function restart(args: RestartArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  const { namespace, deployment: name } = args;
  return kubernetesResult(ctx, `Restarting deployment ${subject(args)}`, async () => {
    const dep = await kube.apps.readNamespacedDeployment({ namespace, name });
    // Same refusal as kubectl: a paused deployment would not roll out the new template.
    if (dep.spec?.paused) return { status: 'error', summary: `Deployment ${subject(args)} is paused; resume it before restarting` };
    const previous = dep.spec?.template.metadata?.annotations?.[RESTARTED_AT] ?? null;
    const restartedAt = args.restartedAt ?? nowRfc3339();
    const replicas = dep.spec?.replicas ?? 1;
    if (previous === restartedAt) {
      const summary = `Deployment ${subject(args)} was already restarted at ${restartedAt}; nothing changed`;
      return { status: 'success', summary, data: { deployment: subject(args), restartedAt, replicas, changed: false } };
    }
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } };
    const patched = await kube.apps.patchNamespacedDeployment({ namespace, name, body }, PATCH_AS.strategicMerge);
    const rollout = rolloutStatus(patched);
    const data = { deployment: subject(args), restartedAt, previousRestartedAt: previous, replicas, generation: patched.metadata?.generation ?? null, rollout: rollout.message, changed: true };
    return { status: 'success', summary: `Restarted deployment ${subject(args)} (${replicas} replicas) at ${restartedAt}: ${rollout.message}`, data };
  });
}

async function plan(args: RestartArgs, ctx: PluginContext): Promise<string> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return `Cannot run: ${kube.problem}`;
  return kubernetesPlan(ctx, async () => {
    const dep = await kube.apps.readNamespacedDeployment({ namespace: args.namespace, name: args.deployment });
    if (dep.spec?.paused) return `Cannot run: deployment ${subject(args)} is paused`;
    const rollout = rolloutStatus(dep);
    const images = (dep.spec?.template.spec?.containers ?? []).map((c) => c.image ?? c.name).join(', ');
    const last = dep.spec?.template.metadata?.annotations?.[RESTARTED_AT];
    return (
      `Rolling restart of deployment ${subject(args)} on ${args.target}: sets the pod template annotation ${RESTARTED_AT}=` +
      `${args.restartedAt ?? '<now>'}, so its ${rollout.desired} replicas (${rollout.ready} ready now; images ${images}) are replaced ` +
      `one by one as a new revision after ${rollout.revision ?? '?'}. ${last ? `Last restart: ${last}.` : 'Never restarted this way before.'}`
    );
  });
}

/** Only a caller-chosen annotation value identifies this restart; without one the outcome is unknown. */
async function confirm(args: RestartArgs, ctx: PluginContext): Promise<Confirmation> {
  if (args.restartedAt === undefined) return 'unknown';
  const restartedAt = args.restartedAt;
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return 'unknown';
  return kubernetesConfirm(ctx, async () => {
    const dep = await kube.apps.readNamespacedDeployment({ namespace: args.namespace, name: args.deployment });
    return dep.spec?.template.metadata?.annotations?.[RESTARTED_AT] === restartedAt ? 'applied' : 'not_applied';
  });
}

export default definePlugin({
  id: 'kubernetes.rollout_restart',
  version: 1,
  category: 'remediation',
  risk: 'medium',
  blastRadius: 'service',
  description:
    'Rolling restart of a deployment in an allowed namespace of a kubernetes target, exactly as `kubectl rollout restart`: ' +
    'patches the pod template restartedAt annotation so pods are replaced gradually under the rollout strategy. Use for ' +
    'stuck, leaking or misbehaving pods when the image and config are fine. Check with kubernetes.rollout_status.',
  summary: (args) => `Rolling restart of deployment ${subject(args)} on ${args.target}`,
  args: RestartArgsSchema,
  timeoutMs: 30_000,
  // Without a fixed restartedAt every run starts another rollout.
  idempotent: false,
  // Every pod is replaced; reverting the restart annotation would only restart them again.
  undo: 'none',
  run: restart,
  dryRun: plan,
  confirm,
});

import type { Risk } from '../../src/domain';
import { z } from 'zod';
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
import type { KubernetesConnection } from '../../src/plugins/connections/kubernetes';
import { definePlugin } from '../../src/plugins/plugin';
import type { Confirmation, PluginContext, PluginResult, RiskAssessment } from '../../src/plugins/plugin';

/** A bot scales in small steps and never past a ceiling; bigger changes are for people. */
export const MAX_REPLICAS = 50;
export const MAX_STEP = 5;

const ScaleArgsSchema = z
  .object({
    target: TargetNameSchema,
    namespace: NamespaceSchema,
    deployment: ObjectNameSchema,
    replicas: z
      .number()
      .int()
      .min(0)
      .max(MAX_REPLICAS)
      .describe(`Desired replica count, 0–${MAX_REPLICAS}, at most ${MAX_STEP} away from the current count`),
  })
  .strict();
type ScaleArgs = z.infer<typeof ScaleArgsSchema>;

function subject(args: ScaleArgs): string {
  return `${args.namespace}/${args.deployment}`;
}

/** Scaling to zero or below half takes capacity away fast; the declared risk is the floor, this may raise it. */
export function scaleRisk(from: number, to: number): Risk {
  if (to === 0 || (to < from && to * 2 < from)) return 'high';
  return 'medium';
}

interface ScalePlan {
  from: number;
  to: number;
  resourceVersion: string | undefined;
  risk: Risk;
  refusal?: string;
}

async function planScale(kube: KubernetesConnection, args: ScaleArgs): Promise<ScalePlan> {
  const scale = await kube.apps.readNamespacedDeploymentScale({ namespace: args.namespace, name: args.deployment });
  const from = scale.spec?.replicas ?? 0;
  const to = args.replicas;
  const step = Math.abs(to - from);
  const refusal = step > MAX_STEP ? `a change of ${step} replicas (${from} → ${to}) exceeds the limit of ${MAX_STEP} per step` : undefined;
  return { from, to, resourceVersion: scale.metadata?.resourceVersion, risk: scaleRisk(from, to), ...(refusal && { refusal }) };
}

async function scale(args: ScaleArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  return kubernetesResult(ctx, `Scaling deployment ${subject(args)}`, async () => {
    const planned = await planScale(kube, args);
    const data = { deployment: subject(args), from: planned.from, to: planned.to, risk: planned.risk };
    if (planned.refusal) return { status: 'error', summary: `Refused to scale ${subject(args)}: ${planned.refusal}`, data };
    if (planned.from === planned.to) return { status: 'success', summary: `Deployment ${subject(args)} already has ${planned.to} replicas`, data: { ...data, changed: false } };
    // The resourceVersion makes this a compare-and-set: a concurrent change fails with 409 instead of breaking the step limit.
    const body = { metadata: { resourceVersion: planned.resourceVersion }, spec: { replicas: planned.to } };
    const result = await kube.apps.patchNamespacedDeploymentScale({ namespace: args.namespace, name: args.deployment, body }, PATCH_AS.merge);
    const summary = `Scaled deployment ${subject(args)} from ${planned.from} to ${result.spec?.replicas ?? planned.to} replicas`;
    return { status: 'success', summary, data: { ...data, changed: true } };
  });
}

/** What a run recorded: the count it found, so an undo can go back to it. */
const ScaledSchema = z.object({ from: z.number().int().min(0), to: z.number().int().min(0), changed: z.boolean().optional() });

/**
 * Back to the count the run found. A no-op when the count is already there (an undo repeated) or the run
 * changed nothing; refused when someone else has changed it since (an autoscaler, a person): we do not undo that.
 */
async function scaleBack(args: ScaleArgs, result: PluginResult, ctx: PluginContext): Promise<PluginResult> {
  const recorded = ScaledSchema.safeParse(result.data);
  if (!recorded.success) return { status: 'error', summary: `Cannot undo the scale of ${subject(args)}: the run recorded no previous replica count` };
  const { from, to } = recorded.data;
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  return kubernetesResult(ctx, `Scaling deployment ${subject(args)} back`, async () => {
    const current = await kube.apps.readNamespacedDeploymentScale({ namespace: args.namespace, name: args.deployment });
    const now = current.spec?.replicas ?? 0;
    const data = { deployment: subject(args), from: now, to: from };
    if (recorded.data.changed === false || now === from) {
      return { status: 'success', summary: `Deployment ${subject(args)} already has ${from} replicas`, data: { ...data, changed: false } };
    }
    if (now !== to) {
      return { status: 'error', summary: `Did not scale ${subject(args)} back to ${from}: it has ${now} replicas, not the ${to} the fix set, so someone else changed it`, data };
    }
    const body = { metadata: { resourceVersion: current.metadata?.resourceVersion }, spec: { replicas: from } };
    await kube.apps.patchNamespacedDeploymentScale({ namespace: args.namespace, name: args.deployment, body }, PATCH_AS.merge);
    return { status: 'success', summary: `Scaled deployment ${subject(args)} back from ${now} to ${from} replicas`, data: { ...data, changed: true } };
  });
}

async function plan(args: ScaleArgs, ctx: PluginContext): Promise<string> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return `Cannot run: ${kube.problem}`;
  return kubernetesPlan(ctx, async () => {
    const planned = await planScale(kube, args);
    if (planned.refusal) return `Cannot run: ${planned.refusal}`;
    if (planned.from === planned.to) return `Nothing to do: deployment ${subject(args)} already has ${planned.to} replicas`;
    return `Scale deployment ${subject(args)} on ${args.target} from ${planned.from} to ${planned.to} replicas (risk ${planned.risk})`;
  });
}

/** Reads the current count: a large scale-down raises the risk, and policy can bound the change. */
async function riskOf(args: ScaleArgs, ctx: PluginContext): Promise<RiskAssessment | undefined> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return undefined;
  try {
    const { from, to, risk } = await planScale(kube, args);
    const measures = { replicasChange: Math.abs(to - from), replicasRemoved: Math.max(0, from - to) };
    return { risk, reason: `scales ${subject(args)} from ${from} to ${to} replicas`, measures };
  } catch (error) {
    ctx.logger.warn({ err: error }, 'could not read the current replica count for policy');
    return { risk: 'high', reason: `the current replica count of ${subject(args)} could not be read, so a large scale-down cannot be ruled out` };
  }
}

/** The count before the run, kept with its intent: scaleBack's `from` if the run's own result dies with the process. */
async function observe(args: ScaleArgs, ctx: PluginContext): Promise<Record<string, unknown>> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return {};
  const current = await kube.apps.readNamespacedDeploymentScale({ namespace: args.namespace, name: args.deployment });
  const from = current.spec?.replicas ?? 0;
  return { deployment: subject(args), from, to: args.replicas, changed: from !== args.replicas };
}

async function confirm(args: ScaleArgs, ctx: PluginContext): Promise<Confirmation> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return 'unknown';
  return kubernetesConfirm(ctx, async () => {
    const current = await kube.apps.readNamespacedDeploymentScale({ namespace: args.namespace, name: args.deployment });
    return current.spec?.replicas === args.replicas ? 'applied' : 'not_applied';
  });
}

export default definePlugin({
  id: 'kubernetes.scale',
  version: 1,
  category: 'remediation',
  // A floor: scaling to zero or below half is high risk (riskOf, scaleRisk), also shown in the plan and result.
  risk: 'medium',
  blastRadius: 'service',
  description:
    `Set the replica count of a deployment in an allowed namespace of a kubernetes target through its scale subresource. ` +
    `Bounded: at most ${MAX_REPLICAS} replicas and at most ${MAX_STEP} away from the current count. Use to add capacity ` +
    'under load or to take a misbehaving deployment down. A HorizontalPodAutoscaler may override it.',
  summary: (args) => `Scale deployment ${subject(args)} on ${args.target} to ${args.replicas} replicas`,
  args: ScaleArgsSchema,
  timeoutMs: 30_000,
  // An absolute target: a second run finds the count already there.
  idempotent: true,
  run: scale,
  dryRun: plan,
  // The run records the count it found (data.from); the undo scales back to it.
  undo: 'rollback',
  rollback: scaleBack,
  confirm,
  observe,
  riskOf,
});

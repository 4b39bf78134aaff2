import type { V1Deployment, V1LabelSelector, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { z } from 'zod';
import { REVISION_ANNOTATION } from '../diagnostic/kubernetes-rollout-status';
import {
  connectKubernetes,
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
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';

const HASH_LABEL = 'pod-template-hash';
/** Deployment annotations kubectl keeps from the deployment rather than copying from the ReplicaSet. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

const RollbackArgsSchema = z
  .object({
    target: TargetNameSchema,
    namespace: NamespaceSchema,
    deployment: ObjectNameSchema,
    toRevision: z.number().int().min(1).optional().describe('Revision to return to; the previous one when omitted'),
  })
  .strict();
type RollbackArgs = z.infer<typeof RollbackArgsSchema>;

interface Revision {
  revision: number;
  replicaSet: string;
  images: string[];
  template: V1PodTemplateSpec;
  annotations: Record<string, string>;
}

interface RollbackPlan {
  deployment: V1Deployment;
  current: number;
  to: Revision;
  history: Revision[];
  /** The deployment already runs this template: kubectl skips the rollback. */
  alreadyCurrent: boolean;
  /** The revision whose template the deployment runs now: what an undo rolls forward to. */
  replaced?: Revision;
}

function subject(args: RollbackArgs): string {
  return `${args.namespace}/${args.deployment}`;
}

function selectorString(selector: V1LabelSelector | undefined): string {
  const labels = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector?.matchExpressions ?? []).map(({ key, operator, values }) => {
    if (operator === 'Exists') return key;
    if (operator === 'DoesNotExist') return `!${key}`;
    return `${key} ${operator === 'In' ? 'in' : 'notin'} (${(values ?? []).join(',')})`;
  });
  return [...labels, ...expressions].join(',');
}

/** Key-order independent, so templates read from different objects compare equal when they are. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, inner]) => inner !== undefined);
    return `{${entries.sort(([a], [b]) => a.localeCompare(b)).map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The ReplicaSet's template without the label the controller adds, i.e. what the deployment would hold. */
function templateOf(rs: V1ReplicaSet): V1PodTemplateSpec {
  const template = rs.spec?.template ?? {};
  const labels = Object.fromEntries(Object.entries(template.metadata?.labels ?? {}).filter(([key]) => key !== HASH_LABEL));
  return { ...template, metadata: { ...template.metadata, labels } };
}

function revisionOf(rs: V1ReplicaSet): Revision | undefined {
  const revision = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]);
  if (!Number.isInteger(revision) || revision <= 0) return undefined;
  const template = templateOf(rs);
  const images = (template.spec?.containers ?? []).map((c) => c.image ?? c.name);
  return { revision, replicaSet: rs.metadata?.name ?? '', images, template, annotations: rs.metadata?.annotations ?? {} };
}

interface History {
  deployment: V1Deployment;
  /** The deployment's ReplicaSets with a revision, oldest first. */
  history: Revision[];
}

async function readHistory(kube: KubernetesConnection, args: RollbackArgs): Promise<History | { problem: string }> {
  const deployment = await kube.apps.readNamespacedDeployment({ namespace: args.namespace, name: args.deployment });
  if (deployment.spec?.paused) return { problem: `deployment ${subject(args)} is paused; resume it before rolling back` };
  const uid = deployment.metadata?.uid;
  const sets = await kube.apps.listNamespacedReplicaSet({ namespace: args.namespace, labelSelector: selectorString(deployment.spec?.selector) });
  const history = sets.items
    .filter((rs) => rs.metadata?.ownerReferences?.some((ref) => ref.controller === true && ref.uid === uid))
    .flatMap((rs) => revisionOf(rs) ?? [])
    .sort((a, b) => a.revision - b.revision);
  return { deployment, history };
}

function runsTemplateOf(deployment: V1Deployment, revision: Revision): boolean {
  return canonical(revision.template) === canonical(deployment.spec?.template);
}

/** The revision kubectl would pick: the given one, or the second newest. */
async function planRollback(kube: KubernetesConnection, args: RollbackArgs): Promise<RollbackPlan | { problem: string }> {
  const read = await readHistory(kube, args);
  if ('problem' in read) return read;
  const { deployment, history } = read;
  const newest = history[history.length - 1];
  const to = args.toRevision === undefined ? history[history.length - 2] : history.find((r) => r.revision === args.toRevision);
  if (!newest || !to) {
    const known = history.map((r) => r.revision).join(', ') || 'none';
    const wanted = args.toRevision === undefined ? 'no previous revision' : `revision ${args.toRevision} not found`;
    return { problem: `${wanted} for deployment ${subject(args)} (revisions: ${known})` };
  }
  const current = Number(deployment.metadata?.annotations?.[REVISION_ANNOTATION] ?? newest.revision);
  const replaced = history.find((r) => runsTemplateOf(deployment, r));
  return { deployment, current, to, history, alreadyCurrent: runsTemplateOf(deployment, to), ...(replaced && { replaced }) };
}

/** Puts a revision's template on the deployment, as `kubectl rollout undo` does. */
async function restoreRevision(kube: KubernetesConnection, args: RollbackArgs, deployment: V1Deployment, to: Revision): Promise<void> {
  const body = [
    // Fails with 422 if the deployment changed since it was read, so we never undo a change we did not see.
    { op: 'test', path: '/metadata/resourceVersion', value: deployment.metadata?.resourceVersion },
    { op: 'replace', path: '/spec/template', value: to.template },
    { op: 'add', path: '/metadata/annotations', value: rolledBackAnnotations(deployment, to.annotations) },
  ];
  await kube.apps.patchNamespacedDeployment({ namespace: args.namespace, name: args.deployment, body }, PATCH_AS.json);
}

/** The deployment's annotations after `kubectl rollout undo`: its own bookkeeping plus the ReplicaSet's others. */
function rolledBackAnnotations(deployment: V1Deployment, rsAnnotations: Record<string, string>): Record<string, string> {
  const kept = Object.entries(deployment.metadata?.annotations ?? {}).filter(([key]) => ANNOTATIONS_TO_SKIP.has(key));
  const copied = Object.entries(rsAnnotations).filter(([key]) => !ANNOTATIONS_TO_SKIP.has(key));
  return Object.fromEntries([...kept, ...copied]);
}

function describeHistory(plan: RollbackPlan): string {
  return plan.history.map((r) => `${r.revision} (${r.images.join(', ')}${r.revision === plan.current ? ', current' : ''})`).join(', ');
}

async function rollback(args: RollbackArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  return kubernetesResult(ctx, `Rolling back deployment ${subject(args)}`, async () => {
    const plan = await planRollback(kube, args);
    if ('problem' in plan) return { status: 'error', summary: `Cannot roll back: ${plan.problem}` };
    const replaced = plan.replaced && { replacedReplicaSet: plan.replaced.replicaSet, replacedImages: plan.replaced.images };
    const data = { deployment: subject(args), fromRevision: plan.current, toRevision: plan.to.revision, replicaSet: plan.to.replicaSet, images: plan.to.images, ...replaced };
    if (plan.alreadyCurrent) {
      return { status: 'success', summary: `Skipped rollback of ${subject(args)}: its template already matches revision ${plan.to.revision}`, data: { ...data, changed: false } };
    }
    await restoreRevision(kube, args, plan.deployment, plan.to);
    const summary = `Rolled back deployment ${subject(args)} from revision ${plan.current} to revision ${plan.to.revision} (${plan.to.images.join(', ')})`;
    return { status: 'success', summary, data: { ...data, changed: true } };
  });
}

/** What a run recorded: the ReplicaSet it restored and the one whose template it replaced. */
const RolledBackSchema = z.object({ replicaSet: z.string().min(1), replacedReplicaSet: z.string().min(1), changed: z.boolean().optional() });

/**
 * Forward to the template the run replaced (its ReplicaSet, by name: revision numbers move on every rollout).
 * A no-op when the deployment already runs it; refused when the deployment runs neither (someone else changed it).
 */
async function rollForward(args: RollbackArgs, result: PluginResult, ctx: PluginContext): Promise<PluginResult> {
  const recorded = RolledBackSchema.safeParse(result.data);
  if (!recorded.success) return { status: 'error', summary: `Cannot undo the rollback of ${subject(args)}: the run recorded no replaced revision` };
  const { replicaSet, replacedReplicaSet, changed } = recorded.data;
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  return kubernetesResult(ctx, `Rolling deployment ${subject(args)} forward`, async () => {
    const read = await readHistory(kube, args);
    if ('problem' in read) return { status: 'error', summary: `Cannot roll forward: ${read.problem}` };
    const { deployment, history } = read;
    const back = history.find((r) => r.replicaSet === replacedReplicaSet);
    if (!back) return { status: 'error', summary: `Cannot roll ${subject(args)} forward: ReplicaSet ${replacedReplicaSet} is gone from its history` };
    const data = { deployment: subject(args), replicaSet: back.replicaSet, images: back.images };
    if (changed === false || runsTemplateOf(deployment, back)) {
      return { status: 'success', summary: `Deployment ${subject(args)} already runs the template of ReplicaSet ${back.replicaSet}`, data: { ...data, changed: false } };
    }
    const restored = history.find((r) => r.replicaSet === replicaSet);
    if (!restored || !runsTemplateOf(deployment, restored)) {
      return { status: 'error', summary: `Did not roll ${subject(args)} forward: it no longer runs the template the fix restored, so someone else changed it`, data };
    }
    await restoreRevision(kube, args, deployment, back);
    return { status: 'success', summary: `Rolled deployment ${subject(args)} forward to the template of ReplicaSet ${back.replicaSet} (${back.images.join(', ')})`, data: { ...data, changed: true } };
  });
}

async function dryRun(args: RollbackArgs, ctx: PluginContext): Promise<string> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return `Cannot run: ${kube.problem}`;
  return kubernetesPlan(ctx, async () => {
    const plan = await planRollback(kube, args);
    if ('problem' in plan) return `Cannot run: ${plan.problem}`;
    if (plan.alreadyCurrent) return `Nothing to do: ${subject(args)} already runs the template of revision ${plan.to.revision}. Revisions: ${describeHistory(plan)}`;
    const replicas = plan.deployment.spec?.replicas ?? 1;
    return (
      `Roll back deployment ${subject(args)} on ${args.target} from revision ${plan.current} to revision ${plan.to.revision} ` +
      `(ReplicaSet ${plan.to.replicaSet}, images ${plan.to.images.join(', ')}); its ${replicas} replicas are replaced by a rolling ` +
      `update and the restored template becomes revision ${Math.max(...plan.history.map((r) => r.revision)) + 1}. Revisions: ${describeHistory(plan)}`
    );
  });
}

export default definePlugin({
  id: 'kubernetes.rollback',
  version: 1,
  category: 'remediation',
  risk: 'high',
  blastRadius: 'service',
  description:
    'Roll a deployment in an allowed namespace of a kubernetes target back to its previous revision (or a given one), ' +
    "as `kubectl rollout undo` does: the pod template of that revision's ReplicaSet replaces the current one. Use when a " +
    'recent rollout (new image or config) caused the incident. Check with kubernetes.rollout_status.',
  summary: (args) => `Roll back deployment ${subject(args)} on ${args.target} to ${args.toRevision === undefined ? 'the previous revision' : `revision ${args.toRevision}`}`,
  args: RollbackArgsSchema,
  timeoutMs: 30_000,
  // Undoing twice flips back to where it started.
  idempotent: false,
  run: rollback,
  dryRun,
  // The run records the ReplicaSet whose template it replaced; the undo restores that template.
  undo: 'rollback',
  rollback: rollForward,
  // No confirm: the restored ReplicaSet takes a new revision number, so after a crash "the previous revision" is ambiguous.
});

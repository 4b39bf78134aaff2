import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, basename, join } from 'node:path';
import type { V1ConfigMap, V1Container, V1Deployment, V1Job, V1PodSpec, V1PolicyRule, V1RoleBinding, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config';
import { loadTargets } from '../../src/plugins/load-targets';
import { readPolicyFile } from '../../src/policy/load-policy';
import { CREDENTIALS, find, readmeVariables, renderKustomize, type K8sObject } from './deploy-support';
import { schemaErrors, unknownFields } from './k8s-schema';

const BUILDS = ['deploy/kubernetes/base', 'deploy/kubernetes/overlays/staging', 'deploy/kubernetes/overlays/production'];
const rendered = new Map(BUILDS.map((dir) => [dir, renderKustomize(dir)]));
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', '*'];

const podSpecOf = (objects: K8sObject[], kind: 'Deployment' | 'Job') => find<V1Deployment | V1Job>(objects, kind).spec!.template.spec!;
const containerOf = (spec: V1PodSpec): V1Container => spec.containers[0]!;
const configMaps = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'ConfigMap') as unknown as (V1ConfigMap & K8sObject)[];

/** The environment the bot sees from the rendered ConfigMap ai-fixer-config (by its generated name). */
function configEnv(objects: K8sObject[]): Record<string, string> {
  const name = containerOf(podSpecOf(objects, 'Deployment')).env?.find((e) => e.valueFrom?.configMapKeyRef)?.valueFrom?.configMapKeyRef?.name;
  return configMaps(objects).find((c) => c.metadata.name === name)?.data ?? {};
}

describe.each(BUILDS)('kubectl kustomize %s', (dir) => {
  const objects = rendered.get(dir)!;

  it('renders objects that validate against the Kubernetes and Prometheus Operator schemas, with no unknown fields', async () => {
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Job', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceMonitor', 'PrometheusRule', 'ServiceAccount', 'ConfigMap']));
    for (const object of objects) {
      const where = `${object.kind}/${object.metadata.name}`;
      expect(await schemaErrors(object), where).toBeUndefined();
      expect(unknownFields(object), where).toEqual([]);
    }
  });

  it('lets every variable of the README configuration table be set, credentials only from the Secret', () => {
    const renderedConfigMaps = new Set(configMaps(objects).map((c) => c.metadata.name));
    for (const kind of ['Deployment', 'Job'] as const) {
      const env = containerOf(podSpecOf(objects, kind)).env ?? [];
      for (const variable of readmeVariables()) {
        const entry = env.find((e) => e.name === variable);
        const where = `${kind} ${variable}`;
        expect(entry, where).toBeDefined();
        const fromSecret = entry?.valueFrom?.secretKeyRef;
        const fromConfig = entry?.valueFrom?.configMapKeyRef;
        const ref = fromSecret ?? fromConfig;
        expect(ref?.key, where).toBe(variable);
        expect(ref?.optional, `${where}: unset keys must leave the default`).toBe(true);
        if (CREDENTIALS.includes(variable)) expect(fromSecret?.name, where).toBe('ai-fixer-secrets');
        else if (fromConfig) expect(renderedConfigMaps, where).toContain(fromConfig.name);
      }
    }
    for (const configMap of configMaps(objects)) {
      for (const credential of CREDENTIALS) expect(Object.keys(configMap.data ?? {}), configMap.metadata.name).not.toContain(credential);
    }
  });

  it('ships settings the bot accepts, and outlives its shutdown before the kubelet kills it', () => {
    const settings = ConfigSchema.parse(configEnv(objects));
    const pod = podSpecOf(objects, 'Deployment');
    expect(pod.terminationGracePeriodSeconds! * 1_000).toBeGreaterThan(settings.SHUTDOWN_TIMEOUT);
  });

  it('mounts the policy, targets and runbooks where the settings point, as whole directories the loaders accept', async () => {
    const settings = configEnv(objects);
    const pod = podSpecOf(objects, 'Deployment');
    const bot = containerOf(pod);
    const dir = await mkdtemp(join(tmpdir(), 'aifixer-k8s-'));
    const mounted = (file: string) => {
      const mount = bot.volumeMounts?.find((m) => m.mountPath === dirname(file));
      expect(mount, file).toBeDefined();
      expect(mount?.subPath, `${file}: a subPath mount never sees ConfigMap updates`).toBeUndefined();
      const volume = pod.volumes?.find((v) => v.name === mount?.name);
      const configMap = configMaps(objects).find((c) => c.metadata.name === volume?.configMap?.name);
      const text = configMap?.data?.[basename(file)];
      expect(text, file).toBeDefined();
      return text!;
    };
    const policyFile = join(dir, 'policy.yaml');
    await writeFile(policyFile, mounted(settings.POLICY_FILE!));
    await expect(readPolicyFile(policyFile)).resolves.toBeDefined();
    const targetsFile = join(dir, 'targets.yaml');
    await writeFile(targetsFile, mounted(settings.TARGETS_FILE!));
    const targets = await loadTargets(targetsFile, { K8S_TOKEN: 'token', K8S_CA: '-----BEGIN CERTIFICATE-----' });
    expect(Object.keys(targets.kubernetes)).not.toHaveLength(0);
    // Team runbooks beside the built-ins (RUNBOOKS_DIR is read recursively).
    const runbooks = bot.volumeMounts?.find((m) => m.name === 'runbooks');
    expect(runbooks?.mountPath.startsWith(`${settings.RUNBOOKS_DIR}/`)).toBe(true);
    // Only the policy is reloaded: its ConfigMap must keep its name so an edit reaches the mounted file.
    const policyVolume = pod.volumes?.find((v) => v.name === bot.volumeMounts?.find((m) => m.mountPath === dirname(settings.POLICY_FILE!))?.name);
    expect(policyVolume?.configMap?.name).toMatch(/^ai-fixer-policy$/);
  });

  it('probes readiness on /readyz and liveness on /healthz; the Job migrates, the Deployment serves', () => {
    const bot = containerOf(podSpecOf(objects, 'Deployment'));
    const port = bot.ports?.find((p) => p.name === 'http');
    expect(port).toBeDefined();
    expect(bot.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(bot.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(bot.args).toEqual(['serve']);
    const migrate = containerOf(podSpecOf(objects, 'Job'));
    expect(migrate.args).toEqual(['migrate']);
    expect(migrate.image).toBe(bot.image);
  });

  it('selects the bot pods from the Service, PDB, ServiceMonitor and NetworkPolicy', () => {
    const podLabels = find<V1Deployment>(objects, 'Deployment').spec!.template.metadata!.labels!;
    const matches = (selector: Record<string, string> | undefined) => Object.entries(selector ?? {}).every(([k, v]) => podLabels[k] === v);
    const service = find<V1Service & K8sObject>(objects, 'Service');
    expect(matches(service.spec?.selector)).toBe(true);
    expect(matches((find(objects, 'PodDisruptionBudget').spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels)).toBe(true);
    expect(matches((find(objects, 'NetworkPolicy').spec as { podSelector: { matchLabels: Record<string, string> } }).podSelector.matchLabels)).toBe(true);
    const monitor = find(objects, 'ServiceMonitor').spec as { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] };
    expect(Object.entries(monitor.selector.matchLabels).every(([k, v]) => service.metadata.labels?.[k] === v)).toBe(true);
    expect(service.spec?.ports?.map((p) => p.name)).toContain(monitor.endpoints[0]?.port);
    expect(monitor.endpoints[0]?.path).toBe('/metrics');
  });

  it('grants write verbs only in the namespaces the targets file names, to a service account that exists', async () => {
    const settings = configEnv(objects);
    const text = configMaps(objects).find((c) => c.metadata.name.startsWith('ai-fixer-targets'))?.data?.[basename(settings.TARGETS_FILE!)] ?? '';
    const file = join(await mkdtemp(join(tmpdir(), 'aifixer-rbac-')), 'targets.yaml');
    await writeFile(file, text);
    const targets = await loadTargets(file, { K8S_TOKEN: 't', K8S_CA: 'c' });
    const targetNamespaces = new Set(Object.values(targets.kubernetes).flatMap((t) => t.namespaces));
    const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    expect(podSpecOf(objects, 'Deployment').serviceAccountName).toBeDefined();
    const botAccount = `${find(objects, 'Deployment').metadata.namespace}/${podSpecOf(objects, 'Deployment').serviceAccountName}`;
    expect(accounts).toContain(botAccount);

    for (const role of objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
      const writes = ((role as { rules?: V1PolicyRule[] }).rules ?? []).some((rule) => rule.verbs.some((verb) => WRITE_VERBS.includes(verb)));
      if (!writes) continue;
      expect(role.kind, `${role.metadata.name} writes cluster-wide`).toBe('Role');
      expect([...targetNamespaces], `${role.metadata.name} in ${role.metadata.namespace}`).toContain(role.metadata.namespace);
    }
    for (const binding of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') as unknown as (V1RoleBinding & K8sObject)[]) {
      for (const subject of binding.subjects ?? []) expect(accounts, binding.metadata.name).toContain(`${subject.namespace}/${subject.name}`);
      const roleKind = binding.roleRef.kind;
      expect(objects.some((o) => o.kind === roleKind && o.metadata.name === binding.roleRef.name && (roleKind === 'ClusterRole' || o.metadata.namespace === binding.metadata.namespace)), binding.metadata.name).toBe(true);
    }
  });
});

describe('overlays', () => {
  it('production runs three replicas and may remediate in shop; staging runs nothing (DRY_RUN) and may remediate nowhere', () => {
    const production = rendered.get('deploy/kubernetes/overlays/production')!;
    expect(find<V1Deployment>(production, 'Deployment').spec?.replicas).toBe(3);
    expect(production.some((o) => o.kind === 'Role' && o.metadata.namespace === 'shop' && o.metadata.name === 'ai-fixer-remediate')).toBe(true);
    const staging = rendered.get('deploy/kubernetes/overlays/staging')!;
    expect(configEnv(staging).DRY_RUN).toBe('true');
    expect(staging.some((o) => o.kind === 'Role')).toBe(false);
  });
});

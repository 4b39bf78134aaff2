import type { Labels } from './label-sets';

/**
 * Kubernetes objects named in standard alert and event texts. kube-prometheus descriptions say
 * `Deployment shop/checkout`; kubelet events say `in pod NAME_NAMESPACE(UID)`. They fill labels a
 * template left out; kube-state-metrics names its job label `job_name`, since `job` is taken.
 */
const OBJECT_REF =
  /\b(Pod|Deployment|StatefulSet|DaemonSet|Job|CronJob|ReplicaSet|PersistentVolumeClaim)\s+([a-z0-9][-a-z0-9]{0,62})\/([a-z0-9][-a-z0-9.]{0,252})/;
const KUBELET_POD = /\bin pod ([a-z0-9][-a-z0-9.]{0,252})_([a-z0-9][-a-z0-9]{0,62})\(/;
const IN_NAMESPACE = /\bin namespace ([a-z0-9][-a-z0-9]{0,62})\b/;

const KIND_LABEL: Readonly<Record<string, string>> = {
  Pod: 'pod', Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset', Job: 'job_name',
  CronJob: 'cronjob', ReplicaSet: 'replicaset', PersistentVolumeClaim: 'persistentvolumeclaim',
};

export function kubernetesLabels(text: string): Labels {
  const labels: Labels = {};
  const object = OBJECT_REF.exec(text);
  if (object) {
    labels.namespace = object[2] ?? '';
    labels[KIND_LABEL[object[1] ?? ''] ?? 'object'] = (object[3] ?? '').replace(/\.+$/, '');
  }
  const pod = KUBELET_POD.exec(text);
  if (pod) {
    labels.pod ??= pod[1] ?? '';
    labels.namespace ??= pod[2] ?? '';
  }
  const namespace = IN_NAMESPACE.exec(text)?.[1];
  if (namespace) labels.namespace ??= namespace;
  return labels;
}

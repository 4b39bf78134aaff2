import { noSuchPath } from './status';

/** Where a REST path points: `/api/v1/namespaces/shop/pods/web-1/log` → pods "web-1" in shop, subresource log. */
export interface ApiPath {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface ResourceInfo {
  group: string;
  kind: string;
  namespaced: boolean;
  /** Field labels usable in `fieldSelector`. */
  fields: readonly string[];
}

const META_FIELDS = ['metadata.name', 'metadata.namespace'] as const;

export const RESOURCES: Record<string, ResourceInfo> = {
  '/namespaces': { group: '', kind: 'Namespace', namespaced: false, fields: [...META_FIELDS, 'status.phase'] },
  '/nodes': { group: '', kind: 'Node', namespaced: false, fields: [...META_FIELDS, 'spec.unschedulable'] },
  '/pods': { group: '', kind: 'Pod', namespaced: true, fields: [...META_FIELDS, 'spec.nodeName', 'status.phase', 'spec.restartPolicy'] },
  '/events': {
    group: '',
    kind: 'Event',
    namespaced: true,
    fields: [
      ...META_FIELDS,
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  },
  'apps/deployments': { group: 'apps', kind: 'Deployment', namespaced: true, fields: META_FIELDS },
  'apps/replicasets': { group: 'apps', kind: 'ReplicaSet', namespaced: true, fields: META_FIELDS },
};

const VERSIONS: Record<string, string> = { '': 'v1', apps: 'v1' };

export function parseApiPath(pathname: string): ApiPath {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts[1] !== undefined) {
    group = parts[1];
    rest = parts.slice(3);
  } else throw noSuchPath();
  const version = parts[0] === 'api' ? parts[1] : parts[2];
  if (version === undefined || VERSIONS[group] !== version) throw noSuchPath();

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  const info = resource === undefined ? undefined : RESOURCES[`${group}/${resource}`];
  if (!info || resource === undefined || extra.length > 0) throw noSuchPath();
  // Namespaced kinds are listed across namespaces without one, but read by name only inside one.
  if (info.namespaced ? namespace === undefined && name !== undefined : namespace !== undefined) throw noSuchPath();
  return { group, version, resource, ...(namespace !== undefined && { namespace }), ...(name !== undefined && { name }), ...(subresource !== undefined && { subresource }) };
}

export function resourceInfo(path: ApiPath): ResourceInfo {
  const info = RESOURCES[`${path.group}/${path.resource}`];
  if (!info) throw noSuchPath();
  return info;
}

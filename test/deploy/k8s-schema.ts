import * as k8s from '@kubernetes/client-node';
import type { K8sObject } from './deploy-support';

interface Validating {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validating;

/** Where kubernetes-models keeps the model of an apiVersion/kind (the Prometheus Operator's in its own package). */
function modelPath(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('monitoring.coreos.com/')) return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** The object against the Kubernetes (or Prometheus Operator) OpenAPI schema: types, required fields, formats. */
export async function schemaErrors(object: K8sObject): Promise<string | undefined> {
  const module = (await import(modelPath(object.apiVersion, object.kind))) as Record<string, ModelClass | undefined>;
  const Model = module[object.kind];
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

interface AttributeType {
  baseName: string;
  type: string;
}
type TypedModel = { getAttributeTypeMap(): AttributeType[] };

/**
 * Fields the API does not know (a typo such as `readinesProbe` passes the schema, which allows extra
 * fields, and the API server would drop it silently). Built-in kinds only, from the client's type maps.
 */
export function unknownFields(object: K8sObject): string[] {
  const version = object.apiVersion.split('/').at(-1) ?? '';
  const type = `${version.charAt(0).toUpperCase()}${version.slice(1)}${object.kind}`;
  if (!modelOf(type)) return [];
  const found: string[] = [];
  walk(object, type, object.kind, found);
  return found;
}

function modelOf(type: string): TypedModel | undefined {
  const candidate = (k8s as unknown as Record<string, unknown>)[type];
  return typeof candidate === 'function' && 'getAttributeTypeMap' in candidate ? (candidate as unknown as TypedModel) : undefined;
}

function walk(value: unknown, type: string, path: string, found: string[]): void {
  if (value === null || value === undefined) return;
  const element = /^Array<(.+)>$/.exec(type)?.[1];
  if (element !== undefined) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, element, `${path}[${i}]`, found));
    return;
  }
  const mapped = /^\{ \[key: string\]: (.+); \}$/.exec(type)?.[1];
  if (mapped !== undefined) {
    for (const [key, item] of Object.entries(value)) walk(item, mapped, `${path}.${key}`, found);
    return;
  }
  const model = modelOf(type);
  if (!model || typeof value !== 'object') return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    const fieldType = fields.get(key);
    if (fieldType === undefined) found.push(`${path}.${key}`);
    else walk(item, fieldType, `${path}.${key}`, found);
  }
}

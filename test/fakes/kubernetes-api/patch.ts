import { badRequest, unprocessable, unsupportedMediaType } from './status';
import type { Json, JsonObject } from './types';

/** The three PATCH content types the API server accepts for built-in kinds (server-side apply is not faked). */
export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const;

/** Lists that strategic merge patches merge by a key instead of replacing (patchMergeKey in the API types). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
};

/** Lists of scalars that strategic merge patches merge as sets. */
const SET_LISTS = new Set(['finalizers']);

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function applyPatch(contentType: string, target: JsonObject, patch: Json): JsonObject {
  let result: Json;
  if (contentType === PATCH_TYPES.json) result = jsonPatch(target, patch);
  else if (contentType === PATCH_TYPES.merge) result = mergePatch(target, patch);
  else if (contentType === PATCH_TYPES.strategic) result = strategicMerge(target, patch);
  else throw unsupportedMediaType(contentType);
  if (!isObject(result)) throw badRequest('the patch did not produce an object');
  return result;
}

/** RFC 7386: objects merge, null deletes, anything else replaces. */
function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

function strategicMerge(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  let retainKeys: string[] | undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith('$setElementOrder/')) continue;
    if (key === '$retainKeys') {
      retainKeys = Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    } else if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) result[field] = current.filter((item) => !value.includes(item));
    } else if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(key, result[key], value);
    } else {
      result[key] = strategicMerge(result[key] ?? null, value);
    }
  }
  if (retainKeys) {
    for (const key of Object.keys(result)) if (!retainKeys.includes(key) && !Object.hasOwn(patch, key)) delete result[key];
  }
  return result;
}

function mergeList(field: string, current: Json | undefined, patch: Json[]): Json[] {
  if (SET_LISTS.has(field) && Array.isArray(current)) return [...current, ...patch.filter((item) => !current.includes(item))];
  const key = MERGE_KEYS[field];
  if (!key || !Array.isArray(current)) return patch.filter((item) => !(isObject(item) && item.$patch === 'delete')).map(withoutDirectives);
  const result = [...current];
  for (const item of patch) {
    if (!isObject(item)) throw badRequest(`strategic merge patch: ${field} items must be objects with "${key}"`);
    const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMerge(result[index] ?? null, item);
    } else {
      result.push(withoutDirectives(item));
    }
  }
  return result;
}

function withoutDirectives(value: Json): Json {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('$')));
}

/** RFC 6902, on a copy: a failed operation (a failed `test` included) changes nothing. */
function jsonPatch(target: JsonObject, patch: Json): Json {
  if (!Array.isArray(patch)) throw badRequest('json patch must be an array of operations');
  let doc: Json = structuredClone(target);
  for (const operation of patch) {
    if (!isObject(operation) || typeof operation.op !== 'string' || typeof operation.path !== 'string') {
      throw badRequest('json patch operations need "op" and "path"');
    }
    doc = applyOperation(doc, operation.op, pointer(operation.path), operation);
  }
  return doc;
}

function applyOperation(doc: Json, op: string, path: string[], operation: JsonObject): Json {
  const value = operation.value;
  switch (op) {
    case 'add':
      return put(doc, path, required(value, op), 'add');
    case 'replace':
      read(doc, path);
      return put(doc, path, required(value, op), 'replace');
    case 'remove':
      return remove(doc, path);
    case 'test':
      if (JSON.stringify(read(doc, path)) !== JSON.stringify(required(value, op))) {
        throw unprocessable(`the server rejected our request due to an error in our request: testing value /${path.join('/')} failed`);
      }
      return doc;
    case 'move':
    case 'copy': {
      if (typeof operation.from !== 'string') throw badRequest(`json patch ${op} needs "from"`);
      const from = pointer(operation.from);
      const moved = structuredClone(read(doc, from));
      return put(op === 'move' ? remove(doc, from) : doc, path, moved, 'add');
    }
    default:
      throw badRequest(`unexpected json patch operation "${op}"`);
  }
}

function required(value: Json | undefined, op: string): Json {
  if (value === undefined) throw badRequest(`json patch ${op} needs "value"`);
  return value;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid json pointer "${path}"`);
  return path.slice(1).split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function missing(path: string[]): never {
  throw unprocessable(`the server rejected our request due to an error in our request: missing value at /${path.join('/')}`);
}

function read(doc: Json, path: string[]): Json {
  let node: Json | undefined = doc;
  for (const part of path) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node) && Object.hasOwn(node, part)) node = node[part];
    else node = undefined;
    if (node === undefined) missing(path);
  }
  return node;
}

/** Returns the document with `value` placed at `path`; parents are updated in place on the working copy. */
function put(doc: Json, path: string[], value: Json, mode: 'add' | 'replace'): Json {
  if (path.length === 0) return value;
  const parent = read(doc, path.slice(0, -1));
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) missing(path);
    parent.splice(index, mode === 'replace' ? 1 : 0, value);
  } else if (isObject(parent)) {
    parent[last] = value;
  } else missing(path);
  return doc;
}

function remove(doc: Json, path: string[]): Json {
  read(doc, path);
  const parent = read(doc, path.slice(0, -1));
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return doc;
}

/** metav1.Status failures, worded as the API server words them. */

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

/** Thrown inside handlers; the server turns it into the Status response. */
export class ApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message);
  }
}

/** The resource as the API server names it in messages: `deployments.apps`, `pods`. */
export interface ResourceRef {
  resource: string;
  group: string;
  name?: string;
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

function failure(code: number, reason: string, message: string, ref?: ResourceRef): ApiError {
  const details = ref && { ...(ref.name === undefined ? {} : { name: ref.name }), group: ref.group, kind: ref.resource };
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details && { details }), code });
}

export function notFound(ref: ResourceRef): ApiError {
  return failure(404, 'NotFound', `${qualified(ref)} "${ref.name ?? ''}" not found`, ref);
}

export function noSuchPath(): ApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource');
}

export function unauthorized(): ApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function forbidden(ref: ResourceRef, verb: string, namespace: string | undefined, user: string, subresource?: string): ApiError {
  const subject = ref.name === undefined ? qualified(ref) : `${qualified(ref)} "${ref.name}"`;
  const resource = subresource ? `${ref.resource}/${subresource}` : ref.resource;
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  const message = `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${ref.group}" ${scope}`;
  return failure(403, 'Forbidden', message, ref);
}

export function conflict(ref: ResourceRef, detail: string): ApiError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(ref)} "${ref.name ?? ''}": ${detail}`, ref);
}

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message);
}

export function invalid(kind: string, ref: ResourceRef, detail: string): ApiError {
  return failure(422, 'Invalid', `${kind}.${ref.group || 'core'} "${ref.name ?? ''}" is invalid: ${detail}`, ref);
}

export function unprocessable(message: string): ApiError {
  return failure(422, 'UnprocessableEntity', message);
}

export function unsupportedMediaType(contentType: string): ApiError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format "${contentType}" - accepted media types include: ` +
      'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
  );
}

export function methodNotAllowed(method: string): ApiError {
  return failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
}

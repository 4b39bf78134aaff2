import { isSecretKey, REDACTED } from './secret-keys';

/** Deeper than any real log object or tool result; past it a value cannot be vetted, so it is dropped. */
const MAX_DEPTH = 64;

type ScrubText = (text: string) => string;

/**
 * A scrubbed copy of `value`; the input is never mutated. Cycles map to the copy, so the copy has the
 * same shape. Errors keep their prototype (pino's serializer and `instanceof` still see an Error) and
 * their own non-enumerable `message` and `stack`, scrubbed.
 */
export function scrubDeep(value: unknown, scrubText: ScrubText): unknown {
  return copy(value, scrubText, new WeakMap(), 0);
}

function copy(value: unknown, scrubText: ScrubText, seen: WeakMap<object, unknown>, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (depth >= MAX_DEPTH) return REDACTED;
  const next = (item: unknown): unknown => copy(item, scrubText, seen, depth + 1);
  const field = (key: unknown, item: unknown): unknown => (typeof key === 'string' && isSecretKey(key) ? secretField(item) : next(item));

  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value as unknown[]) out.push(next(item));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [key, item] of value as Map<unknown, unknown>) out.set(next(key), field(key, item));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    seen.set(value, out);
    for (const item of value as Set<unknown>) out.add(next(item));
    return out;
  }
  // Binary data, dates and patterns hold no text to scrub.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  // What a serializer would write (a URL's href, say), scrubbed in its place.
  if (!(value instanceof Error) && typeof toJSON === 'function') return next(readSafely(() => toJSON.call(value) as unknown));
  return copyObject(value, field, seen);
}

function copyObject(value: object, field: (key: unknown, item: unknown) => unknown, seen: WeakMap<object, unknown>): object {
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  seen.set(value, out);
  const keys = value instanceof Error ? Object.getOwnPropertyNames(value) : Object.keys(value);
  for (const key of keys) {
    const enumerable = Object.getOwnPropertyDescriptor(value, key)?.enumerable ?? true;
    const item = readSafely(() => (value as Record<string, unknown>)[key]);
    Object.defineProperty(out, key, { value: field(key, item), enumerable, writable: true, configurable: true });
  }
  return out;
}

/** Booleans and empty values say nothing secret (`hasPassword: true`), so they stay readable. */
function secretField(item: unknown): unknown {
  if (item === null || item === undefined || typeof item === 'boolean' || item === '') return item;
  return REDACTED;
}

/** A throwing getter or toJSON must not take the log line (or the tool result) down with it. */
function readSafely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return REDACTED;
  }
}

import type { AnyStateMachine } from 'xstate';

export type Json = string | number | boolean | null | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

/** Stands in for implementation code, which JSON cannot carry and Stately does not need. */
export const CODE_MARKER = '<code>';

/**
 * The machine's config as plain JSON, ready for Stately's importer (wrap it in `createMachine(...)`).
 * The config, not `machine.toJSON()`: that is the resolved graph, where invoke results appear as
 * `xstate.done.actor.*` events and targets as absolute ids, which Stately would draw as such.
 * Key order is the definition's, so the output is stable.
 */
export function toStatelyJson(machine: AnyStateMachine): JsonObject {
  const json = toJson(machine.config, new Set());
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error('A machine config should serialise to a JSON object');
  }
  return json;
}

/** Mirrors JSON.stringify (undefined is dropped, or null in arrays), but marks code instead of losing it. */
function toJson(value: unknown, ancestors: Set<object>): Json | undefined {
  if (typeof value === 'function') return CODE_MARKER;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (value instanceof Date) return value.toISOString();
  if (ancestors.has(value)) throw new Error('The machine config contains a cycle');
  const inside = new Set(ancestors).add(value);
  if (Array.isArray(value)) return value.map((item: unknown) => toJson(item, inside) ?? null);
  const entries = Object.entries(value).map(([key, item]) => [key, toJson(item, inside)] as const);
  return Object.fromEntries(entries.filter((entry): entry is readonly [string, Json] => entry[1] !== undefined));
}

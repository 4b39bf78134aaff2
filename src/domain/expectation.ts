import type { Expectation } from './proposal';

/** Why the data does not meet the expectation, or undefined when it does. */
export function unmetExpectation(data: Record<string, unknown> | undefined, expectation: Expectation): string | undefined {
  const value = expectation.path.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), data);
  const n = Array.isArray(value) ? value.length : typeof value === 'number' ? value : undefined;
  if (n === undefined) return `expected ${expectation.path} to be a number or list, found none`;
  if (expectation.atMost !== undefined && n > expectation.atMost) return `expected ${expectation.path} ≤ ${expectation.atMost}, found ${n}`;
  if (expectation.atLeast !== undefined && n < expectation.atLeast) return `expected ${expectation.path} ≥ ${expectation.atLeast}, found ${n}`;
  return undefined;
}

import { describe, expect, it } from 'vitest';
import { unmetExpectation } from '../../src/domain';

describe('verification expectations', () => {
  const data = { idle: { value: [1, 2] }, connections: { used: 7 } };
  it('counts lists by length and reads numbers by path', () => {
    expect(unmetExpectation(data, { path: 'idle.value', atMost: 2 })).toBeUndefined();
    expect(unmetExpectation(data, { path: 'idle.value', atMost: 0 })).toBe('expected idle.value ≤ 0, found 2');
    expect(unmetExpectation(data, { path: 'connections.used', atLeast: 8 })).toBe('expected connections.used ≥ 8, found 7');
  });
  it('fails when the path shows nothing countable', () => {
    expect(unmetExpectation(data, { path: 'missing.value', atMost: 0 })).toMatch(/found none/);
    expect(unmetExpectation(undefined, { path: 'idle', atMost: 0 })).toMatch(/found none/);
  });
});

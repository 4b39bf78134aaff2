import { describe, expect, it } from 'vitest';
import { allStateNodes, allTransitionKeys, generatePaths, stateName } from './chart-paths';

describe('generated paths cover the chart', () => {
  const { paths, covered } = generatePaths();

  it('every transition (each guarded alternative) is taken by some path', () => {
    const missing = allTransitionKeys().filter((key) => !covered.has(key));
    expect(missing).toEqual([]);
  });

  it('every state is visited by some path', () => {
    const visited = new Set(paths.flatMap((p) => ['open.triaging', ...p.steps.map((s) => s.state)]));
    const prefixes = new Set([...visited].flatMap((name) => name.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
    const missing = allStateNodes()
      .map((node) => stateName(node.path.reduceRight<unknown>((child, key) => (child === undefined ? key : { [key]: child }), undefined)))
      .filter((name) => !prefixes.has(name));
    expect(missing).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule in eslint.config.js keeps value imports one way but lets `import type` cross; this keeps
 * the folders free of cycles with type imports counted too, so every folder can be read bottom-up.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The room a file lives in: a folder under src/ (chat's adapters and core each count as one), or machines/. */
function folderOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  if (parts.length === 2) return `src/${parts[1]!.replace(/\.ts$/, '')}`;
  return parts.slice(0, parts[1] === 'chat' && parts.length > 3 ? 3 : 2).join('/');
}

function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of [...sourceFiles('src'), ...sourceFiles('machines')]) {
    for (const [, specifier] of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const from = folderOf(file);
      const to = folderOf(relative('.', normalize(join(dirname(file), specifier!))));
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, file);
      graph.set(from, edges);
    }
  }
  return graph;
}

function cycles(graph: Map<string, Map<string, string>>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (folder: string, path: string[]): void => {
    state.set(folder, 'visiting');
    for (const [next, via] of graph.get(folder) ?? []) {
      if (state.get(next) === 'visiting') found.push(`${[...path.slice(path.indexOf(next)), folder, next].join(' → ')} (via ${via})`);
      else if (!state.has(next)) visit(next, [...path, folder]);
    }
    state.set(folder, 'done');
  };
  for (const folder of graph.keys()) if (!state.has(folder)) visit(folder, []);
  return found;
}

describe('folders', () => {
  it('import each other in one direction only, type imports included', () => {
    const graph = folderGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(cycles(graph)).toEqual([]);
  });

  it('the check sees a cycle when there is one', () => {
    const graph = new Map([
      ['src/a', new Map([['src/b', 'src/a/x.ts']])],
      ['src/b', new Map([['src/a', 'src/b/y.ts']])],
    ]);
    expect(cycles(graph)).toHaveLength(1);
  });
});

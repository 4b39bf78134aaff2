import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './deploy-support';

/** The image cannot be built here (no base images): these are the parts of it a build would get wrong silently. */
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const copied = [...runtimeStage.matchAll(/^COPY (?!--from)(.+) \.\/?(\S*)$/gm)].flatMap((m) => m[1]!.split(/\s+/));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The top-level folder (or file) of the repository each relative import and `new URL('..', import.meta.url)` reaches. */
function reachedFrom(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']*)'/g), ...text.matchAll(/new URL\('(\.{1,2}\/[^']*)', import\.meta\.url\)/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => relative(ROOT, resolve(dirname(file), specifier)).split('/')[0]!);
}

describe('Dockerfile', () => {
  it('copies every folder the running code reaches (imports, the web console, built-in plugins)', () => {
    const entry = ['src', 'machines', 'plugins', 'migrations'];
    const reached = new Set(entry.flatMap((dir) => sourceFiles(dir).flatMap(reachedFrom)));
    expect(reached.size).toBeGreaterThan(3);
    for (const dir of reached) expect(copied, dir).toContain(dir);
    // RUNBOOKS_DIR's default in the image, and what package.json's "type": "module" needs.
    expect(copied).toEqual(expect.arrayContaining(['runbooks', 'package.json', 'scripts/container-entrypoint.sh']));
  });

  it('keeps what it copies out of .dockerignore', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    for (const path of copied) expect(ignored, path).not.toContain(path.split('/')[0]);
  });

  it('installs production dependencies only, runs as a non-root user, and execs its entrypoint', () => {
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtimeStage).toMatch(/^USER (?!root\b|0\b)\S+$/m);
    expect(runtimeStage).toMatch(/^ENTRYPOINT \["\/app\/scripts\/container-entrypoint\.sh"\]$/m);
    expect(runtimeStage).toMatch(/^CMD \["start"\]$/m);
    expect(runtimeStage).toMatch(/^HEALTHCHECK /m);
    expect(runtimeStage).not.toMatch(/^(ENV|ARG)\s[^\n]*(KEY|SECRET|TOKEN|PASSWORD)/m);
  });
});

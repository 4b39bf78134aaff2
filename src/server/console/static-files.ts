import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route } from '../../http/route';

/** The console's page: hand-written ES modules and CSS, served as they are (no bundler). */
export const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Where the page's import map points the packages it imports (intl-messageformat and what it imports). */
const VENDOR_PREFIX = '/vendor/';

/**
 * Only our own scripts and styles run; nothing inline but the page's import map (allowed by its hash), nothing
 * from elsewhere, no framing. Untrusted text is put in the page as text, and this stops anything that slipped
 * through from running.
 */
export function securityHeaders(scriptHashes: string[] = []): Record<string, string> {
  const scripts = ["'self'", ...scriptHashes.map((hash) => `'${hash}'`)].join(' ');
  return {
    'content-security-policy': `default-src 'none'; script-src ${scripts}; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
}

/** index.html's `<script type="importmap">`: its text (for the CSP hash) and what it maps. Our own file, read at start-up. */
export function importMapOf(html: string): { text: string; imports: Record<string, string> } | null {
  const start = html.indexOf('<script type="importmap">');
  if (start < 0) return null;
  const from = start + '<script type="importmap">'.length;
  const text = html.slice(from, html.indexOf('</script>', from));
  const parsed = JSON.parse(text) as { imports?: Record<string, string> };
  return { text, imports: parsed.imports ?? {} };
}

/** The bare specifiers an ES module imports (`from "pkg"`, `import "pkg"`): what the import map must name. */
export function bareImportsOf(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/\b(?:from|import)\s*["']([^"'./][^"']*)["']/g)) found.add(match[1]!);
  return [...found];
}

/**
 * The files the import map points at, found in node_modules: each package from here or, for a dependency's own
 * dependency that was not hoisted, from a module already found. Every bare import in them must be mapped too.
 */
async function vendorFiles(imports: Record<string, string>): Promise<Map<string, Buffer>> {
  const resolvers = [createRequire(import.meta.url)];
  const paths = new Map<string, string>();
  let left = Object.entries(imports).filter(([, url]) => url.startsWith(VENDOR_PREFIX));
  while (left.length > 0) {
    const next = left.filter(([specifier, url]) => {
      const path = resolvers.map((require) => tryResolve(require, specifier)).find((found) => found !== undefined);
      if (!path) return true;
      resolvers.push(createRequire(path));
      paths.set(url, path);
      return false;
    });
    if (next.length === left.length) throw new Error(`console import map: cannot find ${next.map(([specifier]) => specifier).join(', ')} in node_modules`);
    left = next;
  }
  const files = new Map<string, Buffer>();
  for (const [url, path] of paths) {
    const data = await readFile(path);
    const missing = bareImportsOf(data.toString('utf8')).filter((specifier) => !Object.hasOwn(imports, specifier));
    if (missing.length > 0) throw new Error(`console import map: ${url} imports ${missing.join(', ')}, which web/index.html does not map`);
    files.set(url, data);
  }
  return files;
}

function tryResolve(require: NodeJS.Require, specifier: string): string | undefined {
  try {
    return require.resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * One GET route per file (read once, at start-up); `/` is index.html; `/vendor/…` the packages its import map
 * names, from node_modules. No path is ever joined from a request.
 */
export async function staticFileRoutes(dir: string = WEB_DIR): Promise<Route[]> {
  const names = (await readdir(dir)).filter((name) => Object.hasOwn(TYPES, extname(name)));
  const html = names.includes('index.html') ? await readFile(join(dir, 'index.html'), 'utf8') : '';
  const map = importMapOf(html);
  const hashes = map ? [`sha256-${createHash('sha256').update(map.text).digest('base64')}`] : [];
  const file = (type: string, data: Buffer) => {
    const headers = { ...securityHeaders(hashes), 'content-type': type };
    return () => Promise.resolve({ status: 200, headers, raw: data });
  };
  const routes: Route[] = [];
  for (const name of names) {
    const handle = file(TYPES[extname(name)]!, await readFile(join(dir, name)));
    routes.push({ method: 'GET', path: `/${name}`, handle });
    if (name === 'index.html') routes.push({ method: 'GET', path: '/', handle });
  }
  for (const [path, data] of await vendorFiles(map?.imports ?? {})) routes.push({ method: 'GET', path, handle: file(TYPES['.js']!, data) });
  return routes;
}

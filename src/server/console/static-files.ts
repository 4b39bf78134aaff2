import { readdir, readFile } from 'node:fs/promises';
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

/**
 * Only our own scripts and styles run; nothing inline, nothing from elsewhere, no framing. Untrusted
 * text is put in the page as text, and this stops anything that slipped through from running.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** One GET route per file (read once, at start-up); `/` is index.html. No path is ever joined from a request. */
export async function staticFileRoutes(dir: string = WEB_DIR): Promise<Route[]> {
  const names = (await readdir(dir)).filter((name) => Object.hasOwn(TYPES, extname(name)));
  const routes: Route[] = [];
  for (const name of names) {
    const data = await readFile(join(dir, name));
    const headers = { ...SECURITY_HEADERS, 'content-type': TYPES[extname(name)]! };
    const handle = () => Promise.resolve({ status: 200, headers, raw: data });
    routes.push({ method: 'GET', path: `/${name}`, handle });
    if (name === 'index.html') routes.push({ method: 'GET', path: '/', handle });
  }
  return routes;
}

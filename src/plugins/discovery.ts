import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { AnyPlugin } from './plugin';
import { checkPluginSpec, PluginRegistry } from './registry';

/** The plugins that ship with the bot: `<repo>/plugins`. */
export const BUILTIN_PLUGINS_DIR = fileURLToPath(new URL('../../plugins', import.meta.url));

export interface BrokenPlugin {
  file: string;
  error: string;
}

export interface Discovery {
  plugins: AnyPlugin[];
  broken: BrokenPlugin[];
}

const PLUGIN_FILE = /\.(ts|js)$/;
const NOT_A_PLUGIN_FILE = /\.d\.ts$|\.(test|spec)\.(ts|js)$/;

/**
 * Imports every plugin file under `dirs` (recursively, in order) and keeps each valid default export.
 * A file that fails to import, exports nothing, fails the spec check or repeats an id is reported in
 * `broken` and skipped, so one bad plugin never stops the bot. Files and directories whose names
 * start with `_` are helpers, not plugins; hidden ones and node_modules are not searched.
 */
export async function discoverPlugins(dirs: string[], logger: Logger): Promise<Discovery> {
  const plugins: AnyPlugin[] = [];
  const broken: BrokenPlugin[] = [];
  const fileById = new Map<string, string>();
  const seenFiles = new Set<string>();
  for (const dir of dirs) {
    for (const file of await listPluginFiles(dir, broken)) {
      // The same file reached twice (overlapping dirs, symlinks) is one plugin, not a duplicate.
      if (seenFiles.has(file)) continue;
      seenFiles.add(file);
      const loaded = await loadPluginFile(file);
      if ('error' in loaded) {
        broken.push({ file, error: loaded.error });
        continue;
      }
      const firstFile = fileById.get(loaded.plugin.id);
      if (firstFile !== undefined) {
        broken.push({ file, error: `Duplicate plugin id "${loaded.plugin.id}", already loaded from ${firstFile}` });
        continue;
      }
      fileById.set(loaded.plugin.id, file);
      plugins.push(loaded.plugin);
    }
  }
  for (const { file, error } of broken) logger.error({ file, error }, 'plugin skipped: it is broken');
  return { plugins, broken };
}

async function loadPluginFile(file: string): Promise<{ plugin: AnyPlugin } | { error: string }> {
  let module: unknown;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    return { error: `Failed to import: ${messageOf(error)}` };
  }
  const exported = typeof module === 'object' && module !== null && 'default' in module ? module.default : undefined;
  if (exported === undefined) {
    return { error: 'No default export: a plugin file must `export default definePlugin({ … })` (name helper files _like-this.ts)' };
  }
  const check = checkPluginSpec(exported);
  return check.ok ? { plugin: check.plugin } : { error: check.problem };
}

/**
 * Sorted, so the registry's order (and which of two duplicates wins) does not depend on the file system.
 * A missing root is a configuration error and throws; an unreadable entry below it is reported as broken.
 */
async function listPluginFiles(dir: string, broken: BrokenPlugin[]): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    try {
      // Follows symlinks: a mounted ConfigMap, for one, links every file.
      const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path)).isDirectory());
      if (isDirectory) files.push(...(await listPluginFiles(path, broken)));
      else if (PLUGIN_FILE.test(entry.name) && !NOT_A_PLUGIN_FILE.test(entry.name)) files.push(await realpath(path));
    } catch (error) {
      broken.push({ file: path, error: `Cannot read: ${messageOf(error)}` });
    }
  }
  return files.sort();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface RegistryOptions {
  /** PLUGINS_DIR: loaded after the built-ins. */
  pluginsDir?: string;
  logger: Logger;
}

/** The app's registry: built-ins, then PLUGINS_DIR. A PLUGINS_DIR that is not a directory stops the boot. */
export async function createRegistry(options: RegistryOptions): Promise<{ registry: PluginRegistry; broken: BrokenPlugin[] }> {
  const dirs = [BUILTIN_PLUGINS_DIR];
  if (options.pluginsDir !== undefined) {
    const isDirectory = await stat(options.pluginsDir).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (!isDirectory) throw new Error(`PLUGINS_DIR ${options.pluginsDir} does not exist or is not a directory`);
    dirs.push(options.pluginsDir);
  }
  const { plugins, broken } = await discoverPlugins(dirs, options.logger);
  const registry = new PluginRegistry();
  for (const plugin of plugins) registry.register(plugin);
  options.logger.info({ plugins: plugins.map((plugin) => plugin.id), broken: broken.length }, 'plugins loaded');
  return { registry, broken };
}

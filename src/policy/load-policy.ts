import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import { parsePolicy, PolicyError } from './policy-rules';
import type { PolicyRules } from './policy-rules';

/** A policy file (YAML, or JSON, which is YAML too), checked; a PolicyError names what is wrong. */
export async function readPolicyFile(path: string): Promise<PolicyRules> {
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new PolicyError(`Invalid policy ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parsePolicy(raw, path);
}

/** The link a Kubernetes ConfigMap volume swaps atomically on every update. */
const CONFIGMAP_DATA_LINK = '..data';

export interface PolicySourceOptions {
  /** POLICY_FILE; unset: `builtin` for good. */
  file?: string;
  builtin: PolicyRules;
  /** DRY_RUN: forced on whatever the file says. */
  forceDryRun?: boolean;
  logger: Logger;
}

export type ReloadResult = { ok: true; rules: PolicyRules } | { ok: false; error: string };

/**
 * The policy in force. With a file, it is reloaded when the file changes; a new file that does not
 * pass the checks is rejected (and logged) and the previous policy stays in force.
 */
export class PolicySource {
  private rules: PolicyRules;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private reloading: Promise<unknown> = Promise.resolve();
  /** Why the last reload was rejected; cleared by a good one. */
  lastError: string | undefined;

  private constructor(private readonly options: PolicySourceOptions) {
    this.rules = this.forced(options.builtin);
  }

  /** Fails (naming the field) when the file is bad: a bot must not start on a policy nobody meant. */
  static async open(options: PolicySourceOptions): Promise<PolicySource> {
    const source = new PolicySource(options);
    if (options.file) source.rules = source.forced(await readPolicyFile(options.file));
    return source;
  }

  current(): PolicyRules {
    return this.rules;
  }

  /** Reads the file again; serialised, so a burst of changes settles on the last one. */
  reload(): Promise<ReloadResult> {
    const next = this.reloading.then(() => this.load());
    this.reloading = next;
    return next;
  }

  /**
   * Watches the file's directory: editors replace files by renaming, which a file watch would miss. A
   * Kubernetes ConfigMap volume changes only its `..data` link (the file name links through it).
   */
  watch(debounceMs = 200): void {
    const file = this.options.file;
    if (!file || this.watcher) return;
    const name = basename(file);
    this.watcher = watch(dirname(resolve(file)), (_event, changed) => {
      if (changed !== null && changed.toString() !== name && changed.toString() !== CONFIGMAP_DATA_LINK) return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(), debounceMs).unref();
    });
    // Watching must never be what keeps the process alive.
    this.watcher.unref();
    this.watcher.on('error', (error) => this.options.logger.error({ err: error, file }, 'policy file watch failed; changes need a restart'));
  }

  close(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private async load(): Promise<ReloadResult> {
    const file = this.options.file;
    if (!file) return { ok: true, rules: this.rules };
    try {
      this.rules = this.forced(await readPolicyFile(file));
      this.lastError = undefined;
      this.options.logger.info({ file }, 'policy reloaded');
      return { ok: true, rules: this.rules };
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ file, error: this.lastError }, 'policy file rejected; the previous policy stays in force');
      return { ok: false, error: this.lastError };
    }
  }

  private forced(rules: PolicyRules): PolicyRules {
    return this.options.forceDryRun ? { ...rules, dryRun: true } : rules;
  }
}

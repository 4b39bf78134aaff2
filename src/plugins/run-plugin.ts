import { z } from 'zod';
import { scrubResult } from './scrub-result';
import type { PluginContext, PluginResult, PluginSpec } from './plugin';

export type PluginRunResult = PluginResult & { elapsedMs: number };

/**
 * The plugin looked and answered: a success, or an error that carries what it saw (a 503, unhealthy
 * pods). An error without data (unknown target, bad arguments, a timeout) is a failure to look.
 */
export function answered(result: PluginResult): boolean {
  return result.status === 'success' || (result.status === 'error' && result.data !== undefined);
}

type Settled = { result: PluginResult } | { thrown: unknown } | { aborted: true };

/**
 * Validates args, then runs under the caller's signal plus the plugin's own timeout.
 * A timeout or a thrown bug becomes an `error` result; the caller's own cancellation is rethrown.
 */
export function runPlugin<Args extends Record<string, unknown>>(
  plugin: PluginSpec<Args>,
  rawArgs: unknown,
  ctx: PluginContext,
): Promise<PluginRunResult> {
  return invoke(plugin, rawArgs, ctx, { name: plugin.id, call: (args, runCtx) => plugin.run(args, runCtx) });
}

/** Undoes an earlier run under the same rules as runPlugin; undefined when the plugin has no rollback. */
export function runRollback<Args extends Record<string, unknown>>(
  plugin: PluginSpec<Args>,
  rawArgs: unknown,
  result: PluginResult,
  ctx: PluginContext,
): Promise<PluginRunResult> | undefined {
  const rollback = plugin.rollback?.bind(plugin);
  if (!rollback) return undefined;
  const call = (args: Args, runCtx: PluginContext) => rollback(args, result, runCtx);
  return invoke(plugin, rawArgs, ctx, { name: `${plugin.id} rollback`, call });
}

/** Checks that an earlier run's effect holds, under the same rules as runPlugin; undefined without a verify. */
export function runVerify<Args extends Record<string, unknown>>(
  plugin: PluginSpec<Args>,
  rawArgs: unknown,
  result: PluginResult,
  ctx: PluginContext,
): Promise<PluginRunResult> | undefined {
  const verify = plugin.verify?.bind(plugin);
  if (!verify) return undefined;
  const call = (args: Args, runCtx: PluginContext) => verify(args, result, runCtx);
  return invoke(plugin, rawArgs, ctx, { name: `${plugin.id} verify`, call });
}

interface Operation<Args> {
  /** How results name the operation: the plugin id, plus the hook for rollback and verify. */
  name: string;
  call(args: Args, ctx: PluginContext): Promise<PluginResult>;
}

async function invoke<Args extends Record<string, unknown>>(
  plugin: PluginSpec<Args>,
  rawArgs: unknown,
  ctx: PluginContext,
  operation: Operation<Args>,
): Promise<PluginRunResult> {
  const startedAt = performance.now();
  const finish = (result: PluginResult): PluginRunResult => ({
    ...(ctx.scrubber ? scrubResult(result, ctx.scrubber) : result),
    ...(plugin.sensitiveOutput && { sensitive: true }),
    elapsedMs: Math.round(performance.now() - startedAt),
  });

  const parsed = plugin.args.safeParse(rawArgs);
  if (!parsed.success) {
    return finish({ status: 'error', summary: `Invalid arguments for ${plugin.id}: ${z.prettifyError(parsed.error)}` });
  }
  ctx.signal.throwIfAborted();

  const timeout = AbortSignal.timeout(plugin.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  // The executor turns a synchronous throw (or a plain value from a JS plugin) into a settled promise.
  const running = new Promise<PluginResult>((resolve) => resolve(operation.call(parsed.data, { ...ctx, signal })));
  const settled = await settleOrAbort(running, signal);

  // A success under abort still happened; any other outcome is blamed on the abort.
  if ('result' in settled && settled.result.status === 'success') return finish(settled.result);
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (timeout.aborted) {
    const data = 'result' in settled ? settled.result.data : undefined;
    return finish({ status: 'error', summary: `${operation.name} timed out after ${plugin.timeoutMs} ms`, ...(data && { data }) });
  }
  if ('result' in settled) return finish(settled.result);
  const thrown = 'thrown' in settled ? settled.thrown : undefined;
  ctx.logger.error({ err: thrown, plugin: plugin.id, operation: operation.name }, 'plugin threw');
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return finish({ status: 'error', summary: `${operation.name} failed: ${message}` });
}

/** Does not wait for a plugin that ignores its signal; its late rejection is still handled. */
function settleOrAbort(running: Promise<PluginResult>, signal: AbortSignal): Promise<Settled> {
  const settled = running.then(
    (result): Settled => ({ result }),
    (thrown: unknown): Settled => ({ thrown }),
  );
  let stopListening = (): void => {};
  const aborted = new Promise<Settled>((resolve) => {
    const onAbort = (): void => resolve({ aborted: true });
    signal.addEventListener('abort', onAbort, { once: true });
    stopListening = () => signal.removeEventListener('abort', onAbort);
  });
  return Promise.race([settled, aborted]).finally(stopListening);
}

const FALLBACK_ARGS_CHARS = 120;

/** A one-line description for people; never throws, even for args the plugin would reject. */
export function describeCall<Args extends Record<string, unknown>>(plugin: PluginSpec<Args>, rawArgs: unknown): string {
  const parsed = plugin.args.safeParse(rawArgs);
  if (parsed.success) {
    try {
      return plugin.summary(parsed.data);
    } catch {
      // Fall through: a broken summary must not hide the call.
    }
  }
  const json = JSON.stringify(rawArgs) ?? '';
  const shown = json.length > FALLBACK_ARGS_CHARS ? `${json.slice(0, FALLBACK_ARGS_CHARS)}…` : json;
  return `${plugin.id} ${shown}`.trim();
}

import { z } from 'zod';
import type { PluginContext, PluginResult, PluginSpec } from './plugin';

export type PluginRunResult = PluginResult & { elapsedMs: number };

type Settled = { result: PluginResult } | { thrown: unknown } | { aborted: true };

/**
 * Validates args, then runs under the caller's signal plus the plugin's own timeout.
 * A timeout or a thrown bug becomes an `error` result; the caller's own cancellation is rethrown.
 */
export async function runPlugin<Args extends Record<string, unknown>>(
  plugin: PluginSpec<Args>,
  rawArgs: unknown,
  ctx: PluginContext,
): Promise<PluginRunResult> {
  const startedAt = performance.now();
  const finish = (result: PluginResult): PluginRunResult => ({ ...result, elapsedMs: Math.round(performance.now() - startedAt) });

  const parsed = plugin.args.safeParse(rawArgs);
  if (!parsed.success) {
    return finish({ status: 'error', summary: `Invalid arguments for ${plugin.id}: ${z.prettifyError(parsed.error)}` });
  }
  ctx.signal.throwIfAborted();

  const timeout = AbortSignal.timeout(plugin.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const settled = await settleOrAbort(plugin.run(parsed.data, { ...ctx, signal }), signal);

  // A success under abort still happened; any other outcome is blamed on the abort.
  if ('result' in settled && settled.result.status === 'success') return finish(settled.result);
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (timeout.aborted) {
    const data = 'result' in settled ? settled.result.data : undefined;
    return finish({ status: 'error', summary: `${plugin.id} timed out after ${plugin.timeoutMs} ms`, ...(data && { data }) });
  }
  if ('result' in settled) return finish(settled.result);
  const thrown = 'thrown' in settled ? settled.thrown : undefined;
  ctx.logger.error({ err: thrown, plugin: plugin.id }, 'plugin threw');
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return finish({ status: 'error', summary: `${plugin.id} failed: ${message}` });
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

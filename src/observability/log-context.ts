import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

interface LogContext {
  incidentId: string;
}

const current = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` as work on an incident: every log line written inside it, down to plugins, the model
 * client and chat sends that never see the id, carries `incidentId`. (A plugin run or model call shared
 * by identical requests logs under the incident that started it.)
 */
export function withIncidentLog<T>(incidentId: string, fn: () => T): T {
  return current.run({ incidentId }, fn);
}

/** pino's `mixin`: adds the incident id unless the line or the logger's bindings already name one. */
export function logContextMixin(mergeObject: object, _level: number, logger: Logger): object {
  const context = current.getStore();
  if (!context || 'incidentId' in mergeObject || 'incidentId' in logger.bindings()) return {};
  return { incidentId: context.incidentId };
}

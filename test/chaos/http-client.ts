import { setTimeout as sleep } from 'node:timers/promises';
import type { Prng } from './prng';
import type { Supervisor } from './supervisor';

export interface Delivered {
  status: number;
  body: Record<string, unknown>;
  instance: string;
  attempts: number;
}

const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * POSTs the same bytes to one live instance after another until one answers with anything but a
 * server error, as Alertmanager or a browser retries: a killed instance, a refused connection or a
 * 5xx (database down) means try again elsewhere. Undefined when the patience runs out.
 */
export async function deliver(
  supervisor: Supervisor,
  prng: Prng,
  path: string,
  body: string,
  headers: Record<string, string>,
  until: number,
  options: { avoid?: string; trace?: string[]; onSent?: (instance: string) => void } = {},
): Promise<Delivered | undefined> {
  const { avoid, trace, onSent } = options;
  const log = (line: string) => trace?.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
  for (let attempts = 1; Date.now() < until; attempts++) {
    const alive = supervisor.alive.filter((i) => i.name !== avoid || supervisor.alive.length === 1);
    if (alive.length === 0) {
      await sleep(200);
      continue;
    }
    const instance = prng.pick(alive);
    let url: string;
    try {
      url = instance.url + path;
    } catch {
      continue; // it died between the check and now
    }
    try {
      const request = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      onSent?.(instance.name);
      const response = await request;
      const text = await response.text();
      if (response.status >= 500) {
        log(`${instance.name}: ${response.status} ${text.slice(0, 80)}`);
        await sleep(300);
        continue;
      }
      log(`${instance.name}: ${response.status}`);
      return { status: response.status, body: parse(text), instance: instance.name, attempts };
    } catch (error) {
      log(`${instance.name}: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`);
      await sleep(200);
    }
  }
  return undefined;
}

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
}

import type { AnyMachineSnapshot, EventObject, StateValue } from 'xstate';
import type { IncidentContext, TimerName } from '../domain';
import type { IncidentStatus } from '../domain/incident-status';

/** `{ open: 'diagnosing' }` → `open.diagnosing`. */
export function stateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value)[0] ?? [];
  if (key === undefined || child === undefined) return '';
  return `${key}.${stateName(child)}`;
}

/** `closed` (resolved, still open to /rollback) counts as done: out of memory, not open to alerts. */
export function statusOf(snapshot: AnyMachineSnapshot): IncidentStatus {
  if (snapshot.status !== 'active' || snapshot.hasTag('closed')) return 'done';
  return snapshot.hasTag('parked') ? 'parked' : 'active';
}

interface PersistedChild {
  src?: unknown;
  snapshot?: { status?: unknown; input?: { timer?: TimerName } };
}

/**
 * The earliest deadline among running `waitUntil` timers: when a parked (evicted) incident must be
 * rehydrated so its timer can fire. Read from the persisted snapshot, so it is exactly what will be restored.
 */
export function wakeAtOf(persisted: { children?: Record<string, PersistedChild>; context: IncidentContext }): Date | null {
  let earliest: number | null = null;
  for (const child of Object.values(persisted.children ?? {})) {
    const timer = child.snapshot?.input?.timer;
    if (child.src !== 'waitUntil' || child.snapshot?.status !== 'active' || !timer) continue;
    const deadline = persisted.context.deadlines[timer];
    const at = deadline ? Date.parse(deadline) : NaN;
    if (!Number.isNaN(at) && (earliest === null || at < earliest)) earliest = at;
  }
  return earliest === null ? null : new Date(earliest);
}

/** Who caused an event, for the audit trail. */
export function actorOf(event: EventObject): string {
  const by = (event as { by?: { id?: unknown } }).by;
  return typeof by?.id === 'string' ? by.id : 'system';
}

/** The event's data for the audit row, as plain JSON (errors reduced to their message). */
export function payloadOf(event: EventObject): Record<string, unknown> {
  const { type: _type, ...rest } = event as EventObject & Record<string, unknown>;
  if ('error' in rest) {
    const error = rest.error;
    rest.error = error instanceof Error ? { name: error.name, message: error.message } : String(error);
  }
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

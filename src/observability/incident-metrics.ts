import type { MikroORM } from '@mikro-orm/postgresql';
import type { IncidentChange, IncidentListener } from '../runtime/incident-service';
import type { IncidentRuntime } from '../runtime/incident-runtime';
import type { DurabilityGate } from '../runtime/durability-gate';
import type { Metrics } from './metrics';

/** Bounds memory if transitions stop arriving for incidents that stay active (a crash mid-step elsewhere). */
const MAX_TRACKED = 10_000;

/**
 * Counts transitions and times working states from the persisted transitions the runtime reports.
 * Only active states are timed: a parked incident waits for a person, not for a step, and leaves
 * memory, so it is not tracked either. After a restart a state entered before it is not timed.
 */
export function incidentMetricsListener(metrics: Metrics, now: () => number = performance.now.bind(performance)): IncidentListener {
  const entered = new Map<string, { state: string; at: number }>();
  return (change: IncidentChange) => {
    const at = now();
    metrics.transitions.inc({ event: change.eventType, to: change.toState });
    const previous = entered.get(change.incidentId);
    if (previous && previous.state === change.fromState && previous.state !== change.toState) {
      metrics.stepDuration.observe({ step: previous.state }, (at - previous.at) / 1_000);
    }
    // A self-transition (another approval, a repeat alert) does not restart the clock.
    if (previous?.state === change.toState && change.status === 'active') return;
    entered.delete(change.incidentId);
    if (change.status !== 'active') return;
    if (entered.size >= MAX_TRACKED) {
      const oldest = entered.keys().next();
      if (!oldest.done) entered.delete(oldest.value);
    }
    entered.set(change.incidentId, { state: change.toState, at });
  };
}

/** `aifixer_open_incidents{state,status}`: one grouped count over incidents not done, read on each scrape. */
export function registerOpenIncidentsGauge(metrics: Metrics, orm: MikroORM): void {
  metrics.gaugeRows('aifixer_open_incidents', 'Incidents not yet done, by state and status (active or parked), counted in the database on each scrape.', ['state', 'status'], async () => {
    // Plain SQL, like the deadline gauge below: observability sits below the store and does not import its entities.
    const rows = await orm.em
      .fork()
      .getConnection()
      .execute<{ state: string; status: string; n: string | number }[]>("select state, status, count(*) as n from incidents where status <> 'done' group by state, status");
    return rows.map((row) => ({ labels: { state: row.state, status: row.status }, value: Number(row.n) }));
  });
}

/**
 * `aifixer_deadline_overdue_seconds`: how long the oldest due deadline of a parked incident has waited
 * for the sweeper (0 when none is due). The sweeper runs every DEADLINE_SWEEP_INTERVAL, so anything past
 * a few intervals means it is behind or stopped on every instance.
 */
export function registerOverdueDeadlineGauge(metrics: Metrics, orm: MikroORM): void {
  const help = 'Seconds the oldest due deadline of a parked incident has waited to be swept (0: none due), from the database on each scrape.';
  metrics.gaugeRows('aifixer_deadline_overdue_seconds', help, [], async () => {
    const [row] = await orm.em
      .fork()
      .getConnection()
      .execute<{ overdue: string | number | null }[]>("select extract(epoch from now() - min(wake_at)) as overdue from incidents where status = 'parked' and wake_at <= now()");
    return [{ labels: {}, value: Math.max(0, Number(row?.overdue ?? 0)) }];
  });
}

/** The incident metrics of one app: transitions and steps as they are persisted, the rest read on scrape. */
export function watchIncidents(metrics: Metrics, deps: { runtime: IncidentRuntime; orm: MikroORM; gate: DurabilityGate; larkQueueDepth?: () => number }): void {
  const { runtime, gate, larkQueueDepth } = deps;
  runtime.subscribe(incidentMetricsListener(metrics));
  registerOpenIncidentsGauge(metrics, deps.orm);
  registerOverdueDeadlineGauge(metrics, deps.orm);
  metrics.gauge('aifixer_live_incidents', 'Incidents whose actors are in memory, working a step (parked ones are not).', () => runtime.liveCount);
  metrics.gauge('aifixer_durability_pending', 'Incidents with transitions waiting to be written (the durability gate).', () => gate.pending);
  if (larkQueueDepth) metrics.gauge('aifixer_lark_send_queue_depth', 'Lark sends and card updates waiting or in flight.', larkQueueDepth);
}

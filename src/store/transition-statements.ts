import type { AuditEntry, IncidentWrite } from '../runtime/incident-store-port';
import type { StepOutcome } from '../runtime/step-journal-port';
import { insertStepOutcomes, stepOutcomeParameters } from './step-journal-store';

/** One incident's write: its row at the last transition it holds, and an audit row per transition. */
export interface TransitionWrite {
  id: string;
  expectedVersion: number;
  write: IncidentWrite;
  audits: readonly AuditEntry[];
  steps: StepOutcome[];
}

/**
 * One incident's transitions in one statement: the row's update, its audit rows (seq = version) and, with
 * steps, the outcomes it carries. (A data-modifying CTE runs whether or not the rest reads it: outcomes are
 * recorded also when the version check fails.) One audit row is passed as scalars, several as arrays.
 */
function saveOne(manyAudits: boolean, steps: boolean): string {
  const audits = manyAudits
    ? `select updated.id, $9 + a.k, a.at, a.actor, a.event_type, a.from_state, a.to_state, a.payload from updated
         cross join unnest($10::timestamptz[], $11::text[], $12::text[], $13::text[], $14::text[], $15::jsonb[])
           with ordinality as a(at, actor, event_type, from_state, to_state, payload, k)`
    : `select updated.id, $6, $10::timestamptz, $11, $12, $13, $14, $15::jsonb from updated`;
  return `
  with updated as (
    update incidents
       set state = $1, status = $2, wake_at = $3, snapshot = $4::jsonb, merged_into = $5, version = $6, updated_at = $7
     where id = $8 and version = $9
    returning id
  )${steps ? `, journaled as (${insertStepOutcomes(16)})` : ''}
  insert into incident_events (incident_id, seq, at, actor, event_type, from_state, to_state, payload)
  ${audits}
  returning seq`;
}

/** Several incidents' writes in one statement: one round trip and one commit. */
function saveMany(steps: boolean): string {
  return `
  with input as (
    select * from unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[], $8::text[], $9::timestamptz[])
      as t(id, expected, n, state, status, wake_at, snapshot, merged_into, at)
  ), audits as (
    select * from unnest($10::text[], $11::int[], $12::timestamptz[], $13::text[], $14::text[], $15::text[], $16::text[], $17::jsonb[])
      as a(incident_id, k, at, actor, event_type, from_state, to_state, payload)
  ), updated as (
    update incidents i
       set state = input.state, status = input.status, wake_at = input.wake_at, snapshot = input.snapshot,
           merged_into = input.merged_into, version = input.expected + input.n, updated_at = input.at
      from input
     where i.id = input.id and i.version = input.expected
    returning i.id
  )${steps ? `, journaled as (${insertStepOutcomes(18)})` : ''}
  insert into incident_events (incident_id, seq, at, actor, event_type, from_state, to_state, payload)
  select a.incident_id, input.expected + a.k, a.at, a.actor, a.event_type, a.from_state, a.to_state, a.payload
    from updated join input on input.id = updated.id join audits a on a.incident_id = updated.id
  returning incident_id`;
}

const ONE = new Map<string, string>();
const MANY = new Map<boolean, string>();

const auditAt = (t: TransitionWrite, audit: AuditEntry) => audit.at ?? t.write.at;

/** The statement and parameters that write one incident's transitions; it returns one row per audit row written. */
export function oneStatement(t: TransitionWrite): { text: string; values: unknown[]; name: string } {
  const many = t.audits.length > 1;
  const steps = t.steps.length > 0;
  const key = `${many}/${steps}`;
  const text = ONE.get(key) ?? saveOne(many, steps);
  ONE.set(key, text);
  const { write, audits } = t;
  const auditValues = many
    ? [audits.map((a) => auditAt(t, a)), audits.map((a) => a.actor), audits.map((a) => a.eventType), audits.map((a) => a.fromState), audits.map((a) => a.toState), audits.map((a) => JSON.stringify(a.payload))]
    : [auditAt(t, audits[0]!), audits[0]!.actor, audits[0]!.eventType, audits[0]!.fromState, audits[0]!.toState, JSON.stringify(audits[0]!.payload)];
  const values = [
    write.state,
    write.status,
    write.wakeAt,
    JSON.stringify(write.snapshot),
    write.mergedInto,
    t.expectedVersion + audits.length,
    write.at,
    t.id,
    t.expectedVersion,
    ...auditValues,
    ...(steps ? stepOutcomeParameters(t.steps) : []),
  ];
  return { text, values, name: `transition-${key}` };
}

/** The statement and parameters that write several incidents' transitions; it returns the ids of those written. */
export function manyStatement(batch: readonly TransitionWrite[]): { text: string; values: unknown[]; name: string } {
  const steps = batch.flatMap((t) => t.steps);
  const text = MANY.get(steps.length > 0) ?? saveMany(steps.length > 0);
  MANY.set(steps.length > 0, text);
  const audits = batch.flatMap((t) => t.audits.map((audit, i) => ({ t, audit, k: i + 1 })));
  const values = [
    batch.map((t) => t.id),
    batch.map((t) => t.expectedVersion),
    batch.map((t) => t.audits.length),
    batch.map((t) => t.write.state),
    batch.map((t) => t.write.status),
    batch.map((t) => t.write.wakeAt),
    batch.map((t) => JSON.stringify(t.write.snapshot)),
    batch.map((t) => t.write.mergedInto),
    batch.map((t) => t.write.at),
    audits.map((a) => a.t.id),
    audits.map((a) => a.k),
    audits.map((a) => auditAt(a.t, a.audit)),
    audits.map((a) => a.audit.actor),
    audits.map((a) => a.audit.eventType),
    audits.map((a) => a.audit.fromState),
    audits.map((a) => a.audit.toState),
    audits.map((a) => JSON.stringify(a.audit.payload)),
    ...(steps.length > 0 ? stepOutcomeParameters(steps) : []),
  ];
  return { text, values, name: `transitions-${steps.length > 0}` };
}

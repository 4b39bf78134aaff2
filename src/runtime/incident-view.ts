import type { SnapshotFrom } from 'xstate';
import type { IncidentMachine } from '../../machines/incident.machine';
import type { IncidentContext, IncidentEvent } from '../domain';
import type { IncidentRecord } from '../store/entities';
import { PERSON_EVENT_TYPES } from './incident-events';
import type { IncidentView } from './incident-service';

const PROBE: Omit<Extract<IncidentEvent, { by: unknown }>, 'type'> = {
  by: { id: 'probe' },
  source: { kind: 'command' },
};

/** The row's columns a view shows; the snapshot's context comes separately. */
export type IncidentColumns = Omit<IncidentRecord, 'snapshot' | 'machineVersion' | 'source' | 'groupKey'>;

type Snapshot = Pick<SnapshotFrom<IncidentMachine>, 'can'>;

/** A read model of a stored incident; `accepts` is worked out from the chart, not hard-coded. */
export function toView(machine: IncidentMachine, row: IncidentRecord): IncidentView {
  const persisted = row.snapshot as { value: Parameters<IncidentMachine['resolveState']>[0]['value']; context: IncidentContext };
  const open = row.status !== 'done' && row.state !== 'crashed';
  return assembleView(row, persisted.context, open ? machine.resolveState({ value: persisted.value, context: persisted.context }) : undefined);
}

/**
 * The view of a row just written from the actor's own snapshot: what a reload would give, without the
 * reload. The context is copied through JSON, as the stored one reads back.
 */
export function viewOfWritten(row: IncidentColumns, snapshot: Snapshot & { context: IncidentContext }): IncidentView {
  const open = row.status !== 'done' && row.state !== 'crashed';
  return assembleView(row, JSON.parse(JSON.stringify(snapshot.context)) as IncidentContext, open ? snapshot : undefined);
}

function assembleView(row: IncidentColumns, context: IncidentContext, snapshot: Snapshot | undefined): IncidentView {
  const accepts = snapshot ? PERSON_EVENT_TYPES.filter((type) => snapshot.can({ ...PROBE, type })) : [];
  return {
    id: row.id,
    state: row.state,
    status: row.status,
    version: row.version,
    title: row.title,
    severity: row.severity,
    service: row.service ?? null,
    fingerprint: row.fingerprint,
    chatId: row.chatId,
    mergedInto: row.mergedInto ?? null,
    wakeAt: row.wakeAt ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    context,
    accepts,
  };
}

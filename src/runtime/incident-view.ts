import type { SnapshotFrom } from 'xstate';
import type { IncidentMachine } from '../../machines/incident.machine';
import { eventLabel } from '../../machines/incident.labels';
import { phaseLabel, phaseOf, workflowOf } from '../../machines/incident.view';
import type { IncidentContext } from '../domain';
import { EventNotAcceptedError } from '../domain/errors';
import type { StoredIncident } from './incident-store-port';
import type { IncidentView } from './incident-service';

/** The row's columns a view shows; the snapshot's context comes separately. */
export type IncidentColumns = Omit<StoredIncident, 'snapshot' | 'machineVersion' | 'source' | 'groupKey'>;

type Snapshot = Pick<SnapshotFrom<IncidentMachine>, 'can' | 'status'>;

/** A read model of a stored incident; what it accepts is worked out from the chart, not hard-coded. */
export function toView(machine: IncidentMachine, row: StoredIncident): IncidentView {
  const persisted = row.snapshot as { status?: string; value: Parameters<IncidentMachine['resolveState']>[0]['value']; context: IncidentContext };
  // A closed incident (resolved) may still take /rollback: what it accepts is asked of every snapshot not yet final.
  const open = persisted.status === 'active' && row.state !== 'crashed';
  return assembleView(row, persisted.context, open ? machine.resolveState({ value: persisted.value, context: persisted.context }) : undefined);
}

/**
 * The view of a row just written from the actor's own snapshot: what a reload would give, without the
 * reload. The context is copied through JSON, as the stored one reads back.
 */
export function viewOfWritten(row: IncidentColumns, snapshot: Snapshot & { context: IncidentContext }): IncidentView {
  const open = snapshot.status === 'active' && row.state !== 'crashed';
  return assembleView(row, JSON.parse(JSON.stringify(snapshot.context)) as IncidentContext, open ? snapshot : undefined);
}

function assembleView(row: IncidentColumns, context: IncidentContext, snapshot: Snapshot | undefined): IncidentView {
  const workflow = workflowOf(row.state, context, snapshot);
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
    workflow,
    accepts: workflow.accepts,
  };
}

/** The refusal for an event the incident's state does not take: its message names the state in words, not its path. */
export function eventNotAccepted(incidentId: string, eventType: string, state: string): EventNotAcceptedError {
  return new EventNotAcceptedError(incidentId, eventType, state, { state: phaseLabel(phaseOf(state)).en, event: eventLabel(eventType).en });
}

import type { IncidentMachine } from '../../machines/incident.machine';
import type { IncidentContext, IncidentEvent } from '../domain';
import type { IncidentRecord } from '../store/entities';
import { PERSON_EVENT_TYPES } from './incident-events';
import type { IncidentView } from './incident-service';

const PROBE: Omit<Extract<IncidentEvent, { by: unknown }>, 'type'> = {
  by: { id: 'probe' },
  source: { kind: 'command' },
};

/** A read model of a stored incident; `accepts` is worked out from the chart, not hard-coded. */
export function toView(machine: IncidentMachine, row: IncidentRecord): IncidentView {
  const persisted = row.snapshot as { value: Parameters<IncidentMachine['resolveState']>[0]['value']; context: IncidentContext };
  let accepts: IncidentView['accepts'] = [];
  if (row.status !== 'done' && row.state !== 'crashed') {
    const snapshot = machine.resolveState({ value: persisted.value, context: persisted.context });
    accepts = PERSON_EVENT_TYPES.filter((type) => snapshot.can({ ...PROBE, type }));
  }
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
    context: persisted.context,
    accepts,
  };
}

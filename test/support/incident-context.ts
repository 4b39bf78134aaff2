import { incidentMachine } from '../../machines/incident.machine';
import type { IncidentContext } from '../../src/domain';

export const EXAMPLE_INCIDENT_ID = 'INC-7K2M9Q4T';

/** An incident's context for tests of what reads it: the chart's own blank context, filled in. */
export function incidentContext(overrides: Partial<IncidentContext> = {}): IncidentContext {
  const blank = structuredClone(incidentMachine.config.context) as IncidentContext;
  return {
    ...blank,
    incidentId: EXAMPLE_INCIDENT_ID,
    chatId: 'console',
    alert: { source: 'console', fingerprint: 'fp', title: 'HTTP 503', status: 'firing', severity: 'high', labels: {} },
    ...overrides,
  };
}

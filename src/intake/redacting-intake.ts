import type { AlertInput, IncidentEvent } from '../domain';
import type { CreateIncidentRequest, IncidentService, ReportedIncident } from '../runtime/incident-service';
import type { Scrubber } from '../security';

/**
 * Every intake (Lark, web console, terminal, HTTP) opens incidents through this: secrets in an alert
 * are redacted before it is stored, shown, or quoted to a model. Scrubbing is deterministic, so the
 * same alert keeps the same fingerprint.
 */
export class RedactingIntake implements IncidentService {
  constructor(
    private readonly inner: IncidentService,
    private readonly scrubber: Scrubber,
  ) {}

  create(request: CreateIncidentRequest): Promise<ReportedIncident> {
    return this.inner.create({ ...request, alert: this.scrubber.scrubValue(request.alert) as AlertInput });
  }

  send(incidentId: string, event: IncidentEvent) {
    return this.inner.send(incidentId, event);
  }

  get(incidentId: string) {
    return this.inner.get(incidentId);
  }

  listOpen(limit?: number) {
    return this.inner.listOpen(limit);
  }
}

import type { IncidentEvent } from '../domain';
import type { CreateIncidentRequest, IncidentService, ReportedIncident } from '../runtime/incident-service';

/** An IncidentService that hands everything to `inner`: intake decorators override what they change. */
export class DelegatingIntake implements IncidentService {
  constructor(protected readonly inner: IncidentService) {}

  create(request: CreateIncidentRequest): Promise<ReportedIncident> {
    return this.inner.create(request);
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

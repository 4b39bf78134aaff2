import type { AlertInput } from '../domain';
import type { CreateIncidentRequest, IncidentService, ReportedIncident } from '../runtime/incident-service';
import type { Scrubber } from '../security';
import { DelegatingIntake } from './delegating-intake';

/**
 * Every intake (Lark, web console, terminal, HTTP) opens incidents through this: secrets in an alert
 * are redacted before it is stored, shown, or quoted to a model. Scrubbing is deterministic, so the
 * same alert keeps the same fingerprint.
 */
export class RedactingIntake extends DelegatingIntake {
  constructor(
    inner: IncidentService,
    private readonly scrubber: Scrubber,
  ) {
    super(inner);
  }

  override create(request: CreateIncidentRequest): Promise<ReportedIncident> {
    const scrub = (alert: AlertInput) => this.scrubber.scrubValue(alert) as AlertInput;
    return this.inner.create({ ...request, alert: scrub(request.alert), alongWith: request.alongWith?.map(scrub) });
  }
}

import type { Logger } from 'pino';
import { IncidentBusyError } from '../domain/errors';
import type { CreateIncidentRequest, IncidentService, ReportedIncident } from '../runtime/incident-service';
import type { DeferredAlertStore } from '../store/deferred-alert-store';
import { DelegatingIntake } from './delegating-intake';

/**
 * With several instances, a repeat of an alert whose incident another instance is working on (a long
 * diagnosis, say) cannot be recorded on it until that instance lets go. Rather than refuse the
 * monitoring tool (it would retry for a while, then give up), the repeat is persisted and acknowledged;
 * the DeferredAlertDrainer records it once the incident is free.
 */
export class DeferringIntake extends DelegatingIntake {
  constructor(
    inner: IncidentService,
    private readonly deferred: DeferredAlertStore,
    private readonly logger: Logger,
  ) {
    super(inner);
  }

  override async create(request: CreateIncidentRequest): Promise<ReportedIncident> {
    try {
      return await this.inner.create(request);
    } catch (error) {
      // Only a repeat meets a busy incident: a new incident is never held by anyone else.
      if (!(error instanceof IncidentBusyError)) throw error;
      const view = await this.inner.get(error.incidentId);
      if (!view) throw error;
      await this.deferred.add(error.incidentId, request);
      this.logger.info({ incidentId: error.incidentId, fingerprint: request.alert.fingerprint }, 'repeat alert deferred: its incident is busy on another instance');
      return { ...view, opened: false };
    }
  }
}

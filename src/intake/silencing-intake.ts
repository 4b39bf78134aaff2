import type { Logger } from 'pino';
import type { CreateIncidentRequest, IncidentService, ReportedIncident } from '../runtime/incident-service';
import { describeMatch } from '../silences/silence-service';
import type { SilenceService } from '../silences/silence-service';
import { DelegatingIntake } from './delegating-intake';

/**
 * An alert an active silence matches opens nothing: it is recorded against the silence (people can see
 * what was held back) and intake answers `silenced`. A resolved notice passes through: it closes
 * what is already open and never opens anything.
 */
export class SilencingIntake extends DelegatingIntake {
  constructor(
    inner: IncidentService,
    private readonly silences: SilenceService,
    private readonly logger: Logger,
  ) {
    super(inner);
  }

  override async create(request: CreateIncidentRequest): Promise<ReportedIncident> {
    const { alert } = request;
    if (alert.status === 'resolved') return this.inner.create(request);
    const silence = await this.silences.match(alert);
    if (!silence) return this.inner.create(request);
    await this.silences.record({
      silenceId: silence.id,
      fingerprint: alert.fingerprint,
      title: alert.title,
      severity: alert.severity ?? 'medium',
      service: alert.service ?? null,
      source: alert.source,
      chatId: request.chatId,
      messageId: request.alertMessageId ?? null,
    });
    this.logger.info({ silenceId: silence.id, fingerprint: alert.fingerprint, chatId: request.chatId }, 'alert silenced: no incident opened');
    return { opened: false, silenced: describeMatch(silence) };
  }
}

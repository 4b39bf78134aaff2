import type { Logger } from 'pino';
import type { AlertInput } from '../domain';
import type { CreateIncidentRequest, IncidentService, ReportedIncident } from '../runtime/incident-service';
import { describeMatch } from '../silences/silence-service';
import type { SilenceService } from '../silences/silence-service';
import type { Silence } from '../silences/silence-store';
import { DelegatingIntake } from './delegating-intake';

/**
 * An alert an active silence matches opens nothing: it is recorded against the silence (people can see
 * what was held back). When every alert of the request is silenced intake answers `silenced`; the
 * others of a group go on without the silenced ones. A resolved notice always passes: it closes what is
 * already open and never opens anything.
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
    const alerts = [request.alert, ...(request.alongWith ?? [])];
    const silenceOf = await this.silences.matcher();
    const kept: AlertInput[] = [];
    let first: Silence | undefined;
    for (const alert of alerts) {
      const silence = alert.status === 'resolved' ? null : silenceOf(alert);
      if (!silence) {
        kept.push(alert);
        continue;
      }
      first ??= silence;
      await this.record(request, alert, silence);
    }
    if (!first) return this.inner.create(request);
    const [alert, ...alongWith] = kept;
    if (!alert) return { opened: false, silenced: describeMatch(first) };
    return this.inner.create({ ...request, alert, alongWith: alongWith.length ? alongWith : undefined });
  }

  private async record(request: CreateIncidentRequest, alert: AlertInput, silence: Silence): Promise<void> {
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
    this.logger.info({ silenceId: silence.id, fingerprint: alert.fingerprint, chatId: request.chatId }, 'alert silenced: no incident opened for it');
  }
}

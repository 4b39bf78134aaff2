import type { Logger } from 'pino';
import { AlertSchema, SEVERITIES } from '../domain';
import type { Alert, AlertTally, IncidentEvent } from '../domain';
import type { LockPort } from '../locks/lock-port';
import { EventNotAcceptedError, InvalidInputError } from '../domain/errors';
import type { AlertChangeTarget, CreateIncidentRequest, ReportedIncident } from '../runtime/incident-service';
import type { AlertChange, IncidentAlertStore } from '../store/incident-alert-store';
import { DelegatingIntake } from '../intake/delegating-intake';
import { affectedOf, groupOf } from './group-key';
import type { GroupingRules } from './group-key';
import type { AlertGroup } from '../domain/alert-group';
import { tallyOfNew } from './tally';

export interface GroupingIntakeOptions {
  alerts: IncidentAlertStore;
  rules: GroupingRules;
  /** Serialises intake per group: in process for one instance, on Redis leases across instances. */
  locks: LockPort;
  logger: Logger;
}

/**
 * One incident per problem. An alert (or a notification's worth of alerts of one group) joins the open
 * incident that already holds one of its fingerprints or belongs to its group; a recovery notice marks
 * its alerts resolved there. Only a group with no open incident opens one, holding all its alerts.
 * Intake of one group is serialised, so two alerts of it arriving at once (on two instances too) make one incident.
 */
export class GroupingIntake extends DelegatingIntake {
  constructor(
    private readonly runtime: AlertChangeTarget,
    private readonly options: GroupingIntakeOptions,
  ) {
    super(runtime);
  }

  override async create(request: CreateIncidentRequest): Promise<ReportedIncident> {
    const alerts = [request.alert, ...(request.alongWith ?? [])].map(validAlert);
    const lead = alerts[0]!;
    const group = groupOf(lead, this.options.rules);
    return this.options.locks.withLock(`alert-group:${group?.key ?? lead.fingerprint}`, () => this.route(request, alerts, group));
  }

  private async route(request: CreateIncidentRequest, alerts: Alert[], group: AlertGroup | undefined): Promise<ReportedIncident> {
    const { alerts: store, rules } = this.options;
    const fingerprints = alerts.map((a) => a.fingerprint);
    const existing = await store.openIncidentFor(fingerprints, group, rules.windowMs);
    if (existing) {
      const joined = await this.join(existing, alerts, request);
      if (joined) return joined;
    }
    const firing = alerts.filter((a) => a.status === 'firing');
    if (firing.length === 0) {
      // A recovery notice with nothing open to close: report the incident it belonged to, change nothing.
      const last = await store.latestIncidentWith(fingerprints);
      const view = last ? await this.inner.get(last) : null;
      if (view) return { ...view, opened: false };
      return this.inner.create({ ...request, alongWith: undefined });
    }
    const at = new Date();
    const opened = await this.inner.create({
      ...request,
      alert: mostSevere(firing),
      alongWith: undefined,
      groupKey: group?.key,
      alerts: tallyOfNew(alerts, at),
    });
    if (opened.silenced || !opened.opened) return opened;
    await store.record(opened.id, alerts.map(toRecord), request.alertMessageId, at);
    return opened;
  }

  /**
   * Records the alerts on the incident and tells it what changed, while holding it (IncidentBusyError at once
   * if another instance works on it: intake keeps the alert for later); undefined when it closed meanwhile.
   */
  private async join(incidentId: string, alerts: Alert[], request: CreateIncidentRequest): Promise<ReportedIncident | undefined> {
    const { alerts: store } = this.options;
    try {
      const view = await this.runtime.applyAlertChange(incidentId, async () => {
        const changes = await store.record(incidentId, alerts.map(toRecord), request.alertMessageId, new Date());
        return eventFor(changes, await store.tally(incidentId), alerts[0]!, request.alertMessageId);
      });
      return { ...view, opened: false };
    } catch (error) {
      if (error instanceof EventNotAcceptedError) return undefined;
      throw error;
    }
  }
}

function validAlert(input: unknown): Alert {
  const parsed = AlertSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
  throw new InvalidInputError(`Malformed alert: ${issues.join('; ')}`);
}

function mostSevere(alerts: Alert[]): Alert {
  return alerts.reduce((top, a) => (SEVERITIES.indexOf(a.severity) > SEVERITIES.indexOf(top.severity) ? a : top));
}

const toRecord = (alert: Alert) => ({ alert, affected: affectedOf(alert) });

/**
 * One event for what a notification changed: recovery when the last alert recovered, else new firing
 * alerts, else recoveries that leave some firing, else a plain repeat. Counts are absolute (a replay is harmless).
 */
function eventFor(changes: AlertChange[], alerts: AlertTally, lead: Alert, alertMessageId: string | undefined): IncidentEvent {
  const count = (kinds: AlertChange[]) => changes.filter((c) => kinds.includes(c)).length;
  const joined = count(['new', 'refired']);
  const recovered = count(['recovered']);
  const message = alertMessageId ? { alertMessageId } : {};
  if (recovered > 0 && alerts.firing === 0) return { type: 'alert.recovered', recovered, alerts, ...message };
  if (joined > 0) return { type: 'alert.joined', joined, alerts, ...message };
  if (recovered > 0) return { type: 'alert.recovered', recovered, alerts, ...message };
  return { type: 'alert.repeated', status: lead.status, ...message };
}

import type { IncidentEventType } from '../../../domain';
import type { Translator } from '../../../i18n';
import type { IncidentService, IncidentView } from '../../../runtime/incident-service';
import { UnknownIncidentError } from '../../../domain/errors';
import { ESCALATION_REASON_KEYS } from '../cards/escalation-reason';
import { moment } from './moment';
import { quoted } from './quoted';

const COMMAND_FOR_EVENT: Partial<Record<IncidentEventType, string>> = {
  'diagnosis.approved': '/approve … diagnosis',
  'diagnosis.rejected': '/reject … diagnosis',
  'proposal.approved': '/approve … fix',
  'proposal.rejected': '/reject … fix',
  'incident.escalate': '/escalate',
  'incident.ignore': '/ignore',
  'incident.retry': '/retry',
  'incident.resolve': '/resolve',
  'incident.rollback': '/rollback',
};

function acceptedCommands(tr: Translator, view: IncidentView): string {
  const commands = [...new Set(view.accepts.map((type) => COMMAND_FOR_EVENT[type]).filter((c): c is string => c !== undefined))];
  return commands.length > 0 ? tr.t('cmd.status.accepts', { commands: commands.join(', ') }) : tr.t('cmd.status.acceptsNothing');
}

/** The chart records why it escalated in English (snapshots keep it); the catalog has its words. A reason it lacks reads as recorded. */
function escalationReason(tr: Translator, reason: string): string {
  const key = ESCALATION_REASON_KEYS.get(reason);
  return key ? tr.t(key) : reason;
}

/** Alerts, recovery, flaps, escalation, who closed it: what the incident's context adds. */
function contextLines(tr: Translator, view: IncidentView): string[] {
  const lines: string[] = [];
  const { escalation, resolution, alerts } = view.context;
  if (alerts && alerts.total > 1) {
    const affected = alerts.affected.slice(0, 10).map((name) => quoted(name, 100));
    lines.push(tr.t('cmd.status.alerts', { total: alerts.total, firing: alerts.firing, recovered: alerts.total - alerts.firing }));
    if (affected.length) lines.push(tr.t('cmd.status.affected', { names: affected.join(', '), more: alerts.affectedTotal - affected.length }));
  }
  if (resolution?.atSource) lines.push(tr.t('cmd.status.recoveredAtSource'));
  if ((view.context.flaps ?? 0) > 0) lines.push(tr.t('cmd.status.flaps', { n: view.context.flaps ?? 0 }));
  if (escalation) {
    const reason = escalationReason(tr, escalation.reason);
    lines.push(escalation.detail ? tr.t('cmd.status.escalatedDetail', { reason, detail: quoted(escalation.detail, 300) }) : tr.t('cmd.status.escalated', { reason }));
  }
  // The fix being (or that was) undone: the incident's proposal is then the rollback, whose summary is the chart's English.
  if (view.context.rollback && view.context.proposal?.kind === 'rollback') lines.push(tr.t('cmd.status.rollbackOf', { fix: quoted(view.context.rollback.fix, 300) }));
  if (resolution && resolution.by.id !== 'system') lines.push(tr.t('cmd.status.closedBy', { who: quoted(resolution.by.name ?? resolution.by.id, 100) }));
  return lines;
}

function statusText(tr: Translator, view: IncidentView, now: Date): string {
  const lines = [
    tr.t('cmd.status.head', { id: view.id, phase: tr.label(view.workflow.label) }),
    tr.t('cmd.status.title', { title: quoted(view.title, 300) }),
    view.service
      ? tr.t('cmd.status.severityService', { severity: view.severity, service: quoted(view.service, 100) })
      : tr.t('cmd.status.severityNoService', { severity: view.severity }),
    tr.t('cmd.status.times', { opened: moment(tr, view.createdAt, now), updated: moment(tr, view.updatedAt, now) }),
    ...contextLines(tr, view),
  ];
  if (view.mergedInto) lines.push(tr.t('cmd.status.mergedInto', { id: view.mergedInto }));
  if (view.wakeAt) lines.push(tr.t('cmd.status.waitsUntil', { at: moment(tr, view.wakeAt, now) }));
  lines.push(acceptedCommands(tr, view));
  return lines.join('\n');
}

/** /status <id>: where the incident stands and which commands it accepts now. */
export async function incidentStatus(service: IncidentService, incidentId: string, tr: Translator, now = new Date()): Promise<string> {
  const view = await service.get(incidentId);
  if (!view) throw new UnknownIncidentError(incidentId);
  return statusText(tr, view, now);
}

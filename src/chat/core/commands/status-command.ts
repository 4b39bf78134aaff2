import type { IncidentEventType } from '../../../domain';
import type { IncidentService, IncidentView } from '../../../runtime/incident-service';
import { UnknownIncidentError } from '../../../domain/errors';
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
};

function acceptedCommands(view: IncidentView): string {
  const commands = [...new Set(view.accepts.map((type) => COMMAND_FOR_EVENT[type]).filter(Boolean))];
  return commands.length > 0 ? commands.join(', ') : 'nothing from people right now';
}

function statusText(view: IncidentView): string {
  const lines = [
    `${view.id}: ${view.workflow.label.en}`,
    `Title: ${quoted(view.title, 300)}`,
    `Severity: ${view.severity} · Service: ${view.service ? quoted(view.service, 100) : 'unknown'}`,
    `Opened: ${view.createdAt.toISOString()} · Updated: ${view.updatedAt.toISOString()}`,
  ];
  const { escalation, resolution, alerts } = view.context;
  if (alerts && alerts.total > 1) {
    const affected = alerts.affected.slice(0, 10).map((name) => quoted(name, 100));
    const more = alerts.affectedTotal - affected.length;
    lines.push(`Alerts: ${alerts.total} (${alerts.firing} firing, ${alerts.total - alerts.firing} recovered)`);
    if (affected.length) lines.push(`Affected: ${affected.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  if (resolution?.atSource) lines.push('Recovered at source: every alert recovered before anything was changed.');
  if ((view.context.flaps ?? 0) > 0) lines.push(`Reopened ${view.context.flaps} time(s) after recovering`);
  if (escalation) {
    const detail = escalation.detail ? `: ${quoted(escalation.detail, 300)}` : '';
    lines.push(`Escalated: ${escalation.reason}${detail}`);
  }
  if (resolution && resolution.by.id !== 'system') lines.push(`Closed by ${quoted(resolution.by.name ?? resolution.by.id, 100)}`);
  if (view.mergedInto) lines.push(`Merged into: ${view.mergedInto}`);
  if (view.wakeAt) lines.push(`Waits until: ${view.wakeAt.toISOString()}`);
  lines.push(`Accepts: ${acceptedCommands(view)}`);
  return lines.join('\n');
}

/** /status <id>: where the incident stands and which commands it accepts now. */
export async function incidentStatus(service: IncidentService, incidentId: string): Promise<string> {
  const view = await service.get(incidentId);
  if (!view) throw new UnknownIncidentError(incidentId);
  return statusText(view);
}

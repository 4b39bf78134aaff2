import type { IncidentService, IncidentView } from '../../../runtime/incident-service';
import type { CommandContext } from './command';
import { quoted } from './quoted';

const LIST_LIMIT = 20;

/** `INC-1 [high] "HTTP 503 on /pay" on "checkout" · Waiting for …`: what it is first, then where it stands. */
function incidentLine(view: IncidentView): string {
  const service = view.service ? ` on ${quoted(view.service, 60)}` : '';
  return `${view.id} [${view.severity}] ${quoted(view.title, 80)}${service} · ${view.workflow.label.en}`;
}

/** /incidents (and /status without an id). */
export async function listIncidents(service: IncidentService): Promise<string> {
  const open = await service.listOpen(LIST_LIMIT);
  if (open.length === 0) return 'No open incidents.';
  const more = open.length === LIST_LIMIT ? `\n(showing the first ${LIST_LIMIT})` : '';
  return `Open incidents:\n${open.map(incidentLine).join('\n')}${more}`;
}

/** /plugins. */
export function listPlugins(ctx: CommandContext): string {
  const plugins = ctx.plugins?.() ?? [];
  if (plugins.length === 0) return 'No plugins are installed.';
  const lines = plugins.map((p) => `${p.id} [${p.category}, ${p.risk}] ${p.description.split('\n')[0]}`);
  return `Plugins:\n${lines.join('\n')}`;
}

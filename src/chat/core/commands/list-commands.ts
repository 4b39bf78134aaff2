import type { Translator } from '../../../i18n';
import type { IncidentService, IncidentView } from '../../../runtime/incident-service';
import type { CommandContext } from './command';
import { quoted } from './quoted';

const LIST_LIMIT = 20;

/** `INC-1 [high] "HTTP 503 on /pay" on "checkout" · Waiting for …`: what it is first, then where it stands. */
function incidentLine(tr: Translator, view: IncidentView): string {
  const values = { id: view.id, severity: view.severity, title: quoted(view.title, 80), phase: tr.label(view.workflow.label) };
  return view.service ? tr.t('cmd.incidents.lineOn', { ...values, service: quoted(view.service, 60) }) : tr.t('cmd.incidents.line', values);
}

/** /incidents (and /status without an id). */
export async function listIncidents(service: IncidentService, tr: Translator): Promise<string> {
  const open = await service.listOpen(LIST_LIMIT);
  if (open.length === 0) return tr.t('cmd.incidents.none');
  const lines = [tr.t('cmd.incidents.title'), ...open.map((view) => incidentLine(tr, view))];
  if (open.length === LIST_LIMIT) lines.push(tr.t('cmd.incidents.more', { n: LIST_LIMIT }));
  return lines.join('\n');
}

/** /plugins: ids, categories and risk levels are names; the description is the plugin's own. */
export function listPlugins(ctx: CommandContext): string {
  const plugins = ctx.plugins?.() ?? [];
  if (plugins.length === 0) return ctx.tr.t('cmd.plugins.none');
  const lines = plugins.map((p) => `${p.id} [${p.category}, ${p.risk}] ${p.description.split('\n')[0]}`);
  return [ctx.tr.t('cmd.plugins.title'), ...lines].join('\n');
}

import { EventNotAcceptedError, IncidentBusyError, InvalidInputError, UnknownIncidentError } from '../../../domain/errors';
import type { Translator } from '../../../i18n';
import { eventLabel } from '../../../../machines/incident.labels';
import { phaseLabel, phaseOf } from '../../../../machines/incident.view';
import type { Command, CommandContext, CommandProblem } from './command';
import { helpText } from './command-help';
import { exampleOf, usageOf } from './command-usage';
import { decide } from './decision-commands';
import { openIncidentByHand } from './diag-command';
import { actOnIncident } from './incident-action-commands';
import { languageCommand } from './lang-command';
import { listIncidents, listPlugins } from './list-commands';
import { onCallText } from './oncall-command';
import { rollBack } from './rollback-command';
import { runSilenceCommand } from './silence-commands';
import { incidentStatus } from './status-command';

async function run(cmd: Exclude<Command, { kind: 'invalid' }>, ctx: CommandContext): Promise<string> {
  switch (cmd.kind) {
    case 'help':
      return helpText(ctx.tr);
    case 'incidents':
      return listIncidents(ctx.service, ctx.tr);
    case 'plugins':
      return listPlugins(ctx);
    case 'oncall':
      return onCallText(ctx);
    case 'lang':
      return languageCommand(cmd, ctx);
    case 'diag':
      return openIncidentByHand(cmd, ctx);
    case 'status':
      return incidentStatus(ctx.service, cmd.incidentId, ctx.tr);
    case 'approve':
    case 'reject':
      return decide(cmd, ctx);
    case 'silence':
    case 'silences':
    case 'unsilence':
      return runSilenceCommand(cmd, ctx);
    case 'rollback':
      return rollBack(cmd, ctx);
    default:
      return actOnIncident(cmd, ctx);
  }
}

/** What is wrong with a typed command, in the reader's language. */
export function problemText(tr: Translator, problem: CommandProblem): string {
  const values = { ...problem.values };
  if (problem.usage) Object.assign(values, { usage: usageOf(tr, problem.usage), example: exampleOf(problem.usage) });
  return tr.t(problem.key, values);
}

/** Runs a command and returns the reply; the service's refusals become replies, anything else propagates. */
export async function executeCommand(cmd: Command, ctx: CommandContext): Promise<string> {
  if (cmd.kind === 'invalid') return problemText(ctx.tr, cmd.problem);
  try {
    return await run(cmd, ctx);
  } catch (error) {
    const refused = refusalOf(ctx.tr, error);
    if (refused === undefined) throw error;
    return refused;
  }
}

/** The runtime's refusals in words; undefined for anything else (it propagates). */
export function refusalOf(tr: Translator, error: unknown): string | undefined {
  if (error instanceof UnknownIncidentError) return tr.t('cmd.unknownIncident', { id: error.incidentId });
  if (error instanceof EventNotAcceptedError) {
    const phase = tr.label(phaseLabel(phaseOf(error.state)));
    return tr.t('cmd.notAccepted', { id: error.incidentId, event: tr.label(eventLabel(error.eventType)), phase });
  }
  // The runtime's own words on bad input are shown as it wrote them.
  if (error instanceof InvalidInputError) return tr.t('cmd.invalidInput', { detail: error.message });
  if (error instanceof IncidentBusyError) return tr.t('cmd.busy', { id: error.incidentId });
  return undefined;
}

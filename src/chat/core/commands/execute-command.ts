import { EventNotAcceptedError, InvalidInputError, UnknownIncidentError } from '../../../domain/errors';
import { IncidentBusyError } from '../../../domain/errors';
import type { Command, CommandContext } from './command';
import { HELP_TEXT } from './command-help';
import { decide } from './decision-commands';
import { openIncidentByHand } from './diag-command';
import { actOnIncident } from './incident-action-commands';
import { listIncidents, listPlugins } from './list-commands';
import { onCallText } from './oncall-command';
import { runSilenceCommand } from './silence-commands';
import { incidentStatus } from './status-command';

async function run(cmd: Exclude<Command, { kind: 'invalid' }>, ctx: CommandContext): Promise<string> {
  switch (cmd.kind) {
    case 'help':
      return HELP_TEXT;
    case 'incidents':
      return listIncidents(ctx.service);
    case 'plugins':
      return listPlugins(ctx);
    case 'oncall':
      return onCallText(ctx);
    case 'diag':
      return openIncidentByHand(cmd, ctx);
    case 'status':
      return incidentStatus(ctx.service, cmd.incidentId);
    case 'approve':
    case 'reject':
      return decide(cmd, ctx);
    case 'silence':
    case 'silences':
    case 'unsilence':
      return runSilenceCommand(cmd, ctx);
    default:
      return actOnIncident(cmd, ctx);
  }
}

/** Runs a command and returns the reply; the service's refusals become replies, anything else propagates. */
export async function executeCommand(cmd: Command, ctx: CommandContext): Promise<string> {
  if (cmd.kind === 'invalid') return cmd.message;
  try {
    return await run(cmd, ctx);
  } catch (error) {
    if (error instanceof UnknownIncidentError) {
      return `No incident ${error.incidentId}. Type /incidents to list the open ones.`;
    }
    if (error instanceof EventNotAcceptedError) {
      return `${error.message} Type /status ${error.incidentId} to see what it accepts.`;
    }
    if (error instanceof InvalidInputError) return `Not accepted: ${error.message}`;
    if (error instanceof IncidentBusyError) return error.message;
    throw error;
  }
}

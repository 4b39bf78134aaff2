import { approvalsNeeded } from '../domain';
import type { Actor, AlertInput, IncidentEvent, IncidentEventType } from '../domain';
import type { DecisionAccess, PersonEventType } from '../policy/access';
import type { IncidentService, IncidentView } from '../runtime/incident-service';
import { EventNotAcceptedError, InvalidInputError, UnknownIncidentError } from '../runtime/incident-service';
import { parseTextAlert } from '../intake/text-alert';
import { IncidentBusyError } from '../locks/lease-port';

/**
 * Typed chat commands, shared by every chat (console now, Lark later). Parsing is pure; execution
 * turns a command into incident events and answers with the reply text.
 */

export type Command =
  | { kind: 'help' }
  | { kind: 'incidents' }
  | { kind: 'plugins' }
  | { kind: 'diag'; text: string }
  | { kind: 'status'; incidentId: string }
  | { kind: 'approve'; incidentId: string; subject: DecisionSubject; comment?: string }
  | { kind: 'reject'; incidentId: string; subject: DecisionSubject; reason?: string }
  | { kind: 'escalate'; incidentId: string; reason?: string }
  | { kind: 'ignore'; incidentId: string; reason?: string }
  | { kind: 'retry'; incidentId: string }
  | { kind: 'resolve'; incidentId: string; note?: string }
  | { kind: 'invalid'; message: string };

/** What an /approve or /reject decides; named by the person so a stale command cannot decide the next question. */
export type DecisionSubject = 'diagnosis' | 'proposal';

export interface CommandContext {
  service: IncidentService;
  sender: Actor;
  /** The chat the command was typed in: /diag opens its incident there. */
  chatId: string;
  /** The chat message that carried the command, kept on the decision for the audit trail. */
  messageId: string;
  /** What /plugins lists. */
  plugins?: () => PluginSummary[];
  /** How /diag reads its text; chats with a richer alert parser (Lark's AlertDetector) pass it in. */
  parseAlert?: (text: string) => AlertInput | Promise<AlertInput>;
  /** Who may decide what; the same check card clicks get. Unset: anyone (tests of parsing and replies). */
  access?: DecisionAccess;
}

export interface PluginSummary {
  id: string;
  category: string;
  risk: string;
  description: string;
}

const EXAMPLE_ID = 'INC-7K2M9Q4T';
const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const MAX_FREE_TEXT = 1_000;
const LIST_LIMIT = 20;

interface Usage {
  /** The command names its subject (diagnosis or fix) right after the incident id. */
  subject?: true;
  /** What the words after the incident id (and subject) mean, if the command takes any. */
  text?: 'comment' | 'reason' | 'note';
  takesId: boolean;
  args: string;
  does: string;
}

const USAGE = {
  help: { takesId: false, args: '', does: 'this list' },
  incidents: { takesId: false, args: '', does: 'open incidents' },
  status: { takesId: true, args: '[<id>]', does: 'where an incident stands and what it accepts (no id: open incidents)' },
  diag: { takesId: false, text: 'note', args: '<alert text>', does: 'open an incident by hand from the text' },
  plugins: { takesId: false, args: '', does: 'installed diagnostic and remediation plugins' },
  approve: { takesId: true, subject: true, text: 'comment', args: '<id> diagnosis|fix [comment]', does: 'approve the diagnosis or the proposed fix' },
  reject: { takesId: true, subject: true, text: 'reason', args: '<id> diagnosis|fix [reason]', does: 'reject the diagnosis or the proposed fix' },
  escalate: { takesId: true, text: 'reason', args: '<id> [reason]', does: 'hand it to people now' },
  ignore: { takesId: true, text: 'reason', args: '<id> [reason]', does: 'dismiss it' },
  retry: { takesId: true, args: '<id>', does: 'run diagnosis again after an escalation' },
  resolve: { takesId: true, text: 'note', args: '<id> [note]', does: 'mark an escalated incident fixed by people' },
} satisfies Record<string, Usage>;

type CommandName = keyof typeof USAGE;

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(USAGE, name);
}

function usageOf(name: CommandName): string {
  const { args } = USAGE[name];
  return args ? `/${name} ${args}` : `/${name}`;
}

function exampleOf(name: CommandName): string {
  const usage: Usage = USAGE[name];
  if (!usage.takesId) return `/${name}`;
  return usage.subject ? `/${name} ${EXAMPLE_ID} diagnosis` : `/${name} ${EXAMPLE_ID}`;
}

const USAGE_WIDTH = Math.max(...Object.keys(USAGE).map((name) => usageOf(name as CommandName).length));

export const HELP_TEXT = [
  'Commands:',
  ...Object.entries(USAGE).map(([name, usage]) => `  ${usageOf(name as CommandName).padEnd(USAGE_WIDTH)}  ${usage.does}`),
].join('\n');

/** The words people type for each subject; a Map so that names like "constructor" match nothing. */
const SUBJECT_WORDS = new Map<string, DecisionSubject>([
  ['diagnosis', 'diagnosis'],
  ['fix', 'proposal'],
  ['proposal', 'proposal'],
]);

/** How replies and commands name a subject: people say "fix" for the proposal. */
const SUBJECT_WORD: Record<DecisionSubject, string> = { diagnosis: 'diagnosis', proposal: 'fix' };

/** A typed line as a command; null when it is not one (it does not start with '/'). */
export function parseCommand(text: string): Command | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('/')) return null;
  const [head = '', id, ...rest] = trimmed.slice(1).split(/\s+/);
  const name = head.toLowerCase();
  if (!head) return { kind: 'invalid', message: 'Type a command name after the slash, e.g. /help.' };
  if (!isCommandName(name)) {
    const hint = 'An alert that starts with "/" needs a tag in front, e.g. [high] /pay returns 503.';
    return { kind: 'invalid', message: `Unknown command /${head.slice(0, 40)}. Type /help for the list. ${hint}` };
  }
  if (name === 'help' || name === 'incidents' || name === 'plugins') {
    if (id !== undefined) return { kind: 'invalid', message: `/${name} takes no arguments.` };
    return { kind: name };
  }
  if (name === 'diag') {
    const text = trimmed.slice(head.length + 1).trim();
    if (!text) return { kind: 'invalid', message: 'Say what is wrong: /diag [high] checkout returns 503 service=checkout' };
    if (text.length > MAX_FREE_TEXT) return { kind: 'invalid', message: `The alert text is too long (at most ${MAX_FREE_TEXT} characters).` };
    return { kind: 'diag', text };
  }
  if (name === 'status' && id === undefined) return { kind: 'incidents' };
  if (id === undefined) {
    return { kind: 'invalid', message: `/${name} needs an incident id: ${usageOf(name)}, e.g. ${exampleOf(name)}` };
  }
  if (!INCIDENT_ID.test(id)) {
    return { kind: 'invalid', message: `That does not look like an incident id: ${usageOf(name)}, e.g. ${exampleOf(name)}` };
  }
  if (name === 'approve' || name === 'reject') return parseDecision(name, id, rest);
  const freeText = rest.join(' ');
  return textProblem(name, freeText) ?? withText(name, id, freeText || undefined);
}

/** The subject is required: "whatever it waits on now" would let a late command decide a question nobody read. */
function parseDecision(name: 'approve' | 'reject', incidentId: string, words: string[]): Command {
  const [word = '', ...rest] = words;
  const subject = SUBJECT_WORDS.get(word.toLowerCase());
  if (!subject) {
    const message = `Say what you ${name}: /${name} ${incidentId} diagnosis or /${name} ${incidentId} fix`;
    return { kind: 'invalid', message };
  }
  const text = rest.join(' ');
  const problem = textProblem(name, text);
  if (problem) return problem;
  return name === 'approve'
    ? { kind: name, incidentId, subject, comment: text || undefined }
    : { kind: name, incidentId, subject, reason: text || undefined };
}

function textProblem(name: CommandName, text: string): Command | null {
  const usage: Usage = USAGE[name];
  if (!usage.text && text) {
    return { kind: 'invalid', message: `/${name} takes only an incident id, e.g. ${exampleOf(name)}` };
  }
  if (text.length > MAX_FREE_TEXT) {
    return { kind: 'invalid', message: `The ${usage.text ?? 'text'} is too long (at most ${MAX_FREE_TEXT} characters).` };
  }
  return null;
}

function withText(name: Exclude<CommandName, 'help' | 'incidents' | 'plugins' | 'diag' | 'approve' | 'reject'>, incidentId: string, text?: string): Command {
  switch (name) {
    case 'status':
    case 'retry':
      return { kind: name, incidentId };
    case 'escalate':
    case 'ignore':
      return { kind: name, incidentId, reason: text };
    case 'resolve':
      return { kind: name, incidentId, note: text };
  }
}

/** Untrusted text on one line, capped and in quotes, so it reads as data and cannot fake reply lines. */
function quoted(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length <= max ? line : `${line.slice(0, max - 1)}…`);
}

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
    `${view.id}: ${view.state} (${view.status})`,
    `Title: ${quoted(view.title, 300)}`,
    `Severity: ${view.severity} · Service: ${view.service ? quoted(view.service, 100) : 'unknown'}`,
    `Opened: ${view.createdAt.toISOString()} · Updated: ${view.updatedAt.toISOString()}`,
  ];
  const { escalation, resolution } = view.context;
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

function incidentLine(view: IncidentView): string {
  const service = view.service ? ` ${quoted(view.service, 60)}` : '';
  return `${view.id} [${view.severity}] ${view.state}${service} ${quoted(view.title, 80)}`;
}

async function listIncidents(service: IncidentService): Promise<string> {
  const open = await service.listOpen(LIST_LIMIT);
  if (open.length === 0) return 'No open incidents.';
  const more = open.length === LIST_LIMIT ? `\n(showing the first ${LIST_LIMIT})` : '';
  return `Open incidents:\n${open.map(incidentLine).join('\n')}${more}`;
}

/** Why the sender may not decide this under the policy, or null. Reads the incident: roles depend on the fix's risk. */
async function refusal(ctx: CommandContext, incidentId: string, type: PersonEventType): Promise<string | null> {
  if (!ctx.access) return null;
  const view = await ctx.service.get(incidentId);
  if (!view) throw new UnknownIncidentError(incidentId);
  const verdict = ctx.access.check(ctx.sender.id, type, view.context);
  return verdict.allowed ? null : verdict.reason;
}

/**
 * Sends exactly the decision the person named. Whether the incident still waits for it is not read
 * here: the runtime checks it atomically and refuses (EventNotAcceptedError) if it has moved on.
 */
async function decide(cmd: Extract<Command, { kind: 'approve' | 'reject' }>, ctx: CommandContext): Promise<string> {
  const decided = { by: ctx.sender, source: { kind: 'command' as const, messageId: ctx.messageId } };
  const event: PersonEvent =
    cmd.kind === 'approve'
      ? { type: `${cmd.subject}.approved`, comment: cmd.comment, ...decided }
      : { type: `${cmd.subject}.rejected`, reason: cmd.reason, ...decided };
  const refused = await refusal(ctx, cmd.incidentId, event.type);
  if (refused) return refused;
  const after = await ctx.service.send(cmd.incidentId, event);
  const decision = after.context.decision;
  if (event.type === 'proposal.approved' && after.state === 'open.awaitingProposalApproval' && decision) {
    const given = after.context.approvals.proposalApprovers?.length ?? 0;
    return `Approval counted for the fix of ${after.id}: ${given} of ${approvalsNeeded(decision)}. It waits for another approver.`;
  }
  const verb = cmd.kind === 'approve' ? 'Approved' : 'Rejected';
  return `${verb} the ${SUBJECT_WORD[cmd.subject]} of ${after.id}. It is now ${after.state}.`;
}

type PersonEvent = Extract<IncidentEvent, { by: unknown }>;
type DirectCommand = Extract<Command, { kind: 'escalate' | 'ignore' | 'retry' | 'resolve' }>;

function eventFor(cmd: DirectCommand, ctx: CommandContext): PersonEvent {
  const decided = { by: ctx.sender, source: { kind: 'command' as const, messageId: ctx.messageId } };
  switch (cmd.kind) {
    case 'escalate':
      return { type: 'incident.escalate', reason: cmd.reason, ...decided };
    case 'ignore':
      return { type: 'incident.ignore', reason: cmd.reason, ...decided };
    case 'retry':
      return { type: 'incident.retry', ...decided };
    case 'resolve':
      return { type: 'incident.resolve', note: cmd.note, ...decided };
  }
}

const DONE_VERB: Record<DirectCommand['kind'], string> = {
  escalate: 'Escalated',
  ignore: 'Ignored',
  retry: 'Retrying',
  resolve: 'Resolved',
};

async function run(cmd: Exclude<Command, { kind: 'invalid' }>, ctx: CommandContext): Promise<string> {
  switch (cmd.kind) {
    case 'help':
      return HELP_TEXT;
    case 'incidents':
      return listIncidents(ctx.service);
    case 'plugins':
      return listPlugins(ctx);
    case 'diag': {
      const alert = await (ctx.parseAlert ?? ((text: string) => parseTextAlert(text, 'chat')))(cmd.text);
      const incident = await ctx.service.create({ alert, chatId: ctx.chatId, alertMessageId: ctx.messageId, by: ctx.sender });
      if (!incident.opened) return `Repeat of open incident ${incident.id} (${incident.context.repeats} repeat(s) so far); no new incident.`;
      return `Opened ${incident.id}: ${quoted(incident.title)} (${incident.severity}). Triage is running.`;
    }
    case 'status': {
      const view = await ctx.service.get(cmd.incidentId);
      if (!view) throw new UnknownIncidentError(cmd.incidentId);
      return statusText(view);
    }
    case 'approve':
    case 'reject':
      return decide(cmd, ctx);
    default: {
      const event = eventFor(cmd, ctx);
      const refused = await refusal(ctx, cmd.incidentId, event.type);
      if (refused) return refused;
      const after = await ctx.service.send(cmd.incidentId, event);
      return `${DONE_VERB[cmd.kind]} ${cmd.incidentId}. It is now ${after.state}.`;
    }
  }
}

function listPlugins(ctx: CommandContext): string {
  const plugins = ctx.plugins?.() ?? [];
  if (plugins.length === 0) return 'No plugins are installed.';
  const lines = plugins.map((p) => `${p.id} [${p.category}, ${p.risk}] ${p.description.split('\n')[0]}`);
  return `Plugins:\n${lines.join('\n')}`;
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

import type { Command, DecisionSubject } from './command';
import { exampleOf, isCommandName, USAGE, usageOf } from './command-usage';
import type { CommandName, Usage } from './command-usage';
import { parseSilenceCommand } from './parse-silence';

const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const MAX_FREE_TEXT = 1_000;

/** The words people type for each subject; a Map so that names like "constructor" match nothing. */
const SUBJECT_WORDS = new Map<string, DecisionSubject>([
  ['diagnosis', 'diagnosis'],
  ['fix', 'proposal'],
  ['proposal', 'proposal'],
]);

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
  if (name === 'help' || name === 'incidents' || name === 'plugins' || name === 'oncall') {
    if (id !== undefined) return { kind: 'invalid', message: `/${name} takes no arguments.` };
    return { kind: name };
  }
  if (name === 'diag') {
    const text = trimmed.slice(head.length + 1).trim();
    if (!text) return { kind: 'invalid', message: 'Say what is wrong: /diag [high] checkout returns 503 service=checkout' };
    if (text.length > MAX_FREE_TEXT) return { kind: 'invalid', message: `The alert text is too long (at most ${MAX_FREE_TEXT} characters).` };
    return { kind: 'diag', text };
  }
  if (name === 'silence' || name === 'silences' || name === 'unsilence') return parseSilenceCommand(name, trimmed.slice(head.length + 1));
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

function withText(name: Exclude<CommandName, 'help' | 'incidents' | 'plugins' | 'oncall' | 'diag' | 'approve' | 'reject' | 'silence' | 'silences' | 'unsilence'>, incidentId: string, text?: string): Command {
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

import { parseLanguage } from '../../../i18n';
import type { Command, CommandProblem, DecisionSubject } from './command';
import { commandNamed, USAGE } from './command-usage';
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

/** `/lang default` (or `reset`) goes back to the configured LANGUAGE. */
const DEFAULT_WORDS = new Set(['default', 'reset']);

const invalid = (key: CommandProblem['key'], values?: CommandProblem['values'], usage?: CommandName): Command => ({
  kind: 'invalid',
  problem: { key, ...(values ? { values } : {}), ...(usage ? { usage } : {}) },
});

/** A typed line as a command; null when it is not one (it does not start with '/'). */
export function parseCommand(text: string): Command | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('/')) return null;
  const [head = '', id, ...rest] = trimmed.slice(1).split(/\s+/);
  if (!head) return invalid('cmd.invalid.noName');
  const name = commandNamed(head.toLowerCase());
  if (!name) return invalid('cmd.invalid.unknown', { name: head.slice(0, 40) });
  if (name === 'help' || name === 'incidents' || name === 'plugins' || name === 'oncall') {
    if (id !== undefined) return invalid('cmd.invalid.noArguments', { command: `/${name}` });
    return { kind: name };
  }
  if (name === 'lang') return parseLang(id, rest);
  if (name === 'diag') {
    const text = trimmed.slice(head.length + 1).trim();
    if (!text) return invalid('cmd.invalid.diagEmpty');
    if (text.length > MAX_FREE_TEXT) return invalid('cmd.invalid.alertTooLong', { max: MAX_FREE_TEXT });
    return { kind: 'diag', text };
  }
  if (name === 'silence' || name === 'silences' || name === 'unsilence') return parseSilenceCommand(name, trimmed.slice(head.length + 1));
  if (name === 'status' && id === undefined) return { kind: 'incidents' };
  if (id === undefined) return invalid('cmd.invalid.needsId', { command: `/${name}` }, name);
  if (!INCIDENT_ID.test(id)) return invalid('cmd.invalid.badId', undefined, name);
  if (name === 'approve' || name === 'reject') return parseDecision(name, id, rest);
  const freeText = rest.join(' ');
  return textProblem(name, freeText) ?? withText(name, id, freeText || undefined);
}

/** `/lang`, `/lang zh`, `/lang en`, `/lang default`. */
function parseLang(word: string | undefined, rest: string[]): Command {
  if (word === undefined) return { kind: 'lang' };
  if (rest.length > 0) return invalid('cmd.lang.unknown', { word: [word, ...rest].join(' ').slice(0, 40) });
  if (DEFAULT_WORDS.has(word.toLowerCase())) return { kind: 'lang', language: null };
  const language = parseLanguage(word);
  return language ? { kind: 'lang', language } : invalid('cmd.lang.unknown', { word: word.slice(0, 40) });
}

/** The subject is required: "whatever it waits on now" would let a late command decide a question nobody read. */
function parseDecision(name: 'approve' | 'reject', incidentId: string, words: string[]): Command {
  const [word = '', ...rest] = words;
  const subject = SUBJECT_WORDS.get(word.toLowerCase());
  if (!subject) return invalid(name === 'approve' ? 'cmd.invalid.approveWhat' : 'cmd.invalid.rejectWhat', { id: incidentId });
  const text = rest.join(' ');
  const problem = textProblem(name, text);
  if (problem) return problem;
  return name === 'approve'
    ? { kind: name, incidentId, subject, comment: text || undefined }
    : { kind: name, incidentId, subject, reason: text || undefined };
}

function textProblem(name: CommandName, text: string): Command | null {
  const usage: Usage = USAGE[name];
  if (!usage.text && text) return invalid('cmd.invalid.onlyId', { command: `/${name}` }, name);
  if (text.length > MAX_FREE_TEXT) return invalid('cmd.invalid.textTooLong', { what: usage.text ?? 'text', max: MAX_FREE_TEXT });
  return null;
}

function withText(
  name: Exclude<CommandName, 'help' | 'incidents' | 'plugins' | 'oncall' | 'lang' | 'diag' | 'approve' | 'reject' | 'silence' | 'silences' | 'unsilence'>,
  incidentId: string,
  text?: string,
): Command {
  switch (name) {
    case 'status':
    case 'retry':
      return { kind: name, incidentId };
    case 'escalate':
    case 'ignore':
    case 'rollback':
      return { kind: name, incidentId, reason: text };
    case 'resolve':
      return { kind: name, incidentId, note: text };
  }
}

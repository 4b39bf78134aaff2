/**
 * Typed chat commands, shared by every chat (console now, Lark later). Parsing is pure; execution
 * turns a command into incident events and answers with the reply text.
 */

export type { Command, CommandContext, CommandProblem, DecisionSubject, PluginSummary } from './command';
export { helpText } from './command-help';
export { parseCommand } from './parse-command';
export { executeCommand, problemText, refusalOf } from './execute-command';

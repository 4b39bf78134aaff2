/**
 * Typed chat commands, shared by every chat (console now, Lark later). Parsing is pure; execution
 * turns a command into incident events and answers with the reply text.
 */

export type { Command, CommandContext, DecisionSubject, PluginSummary } from './command';
export { HELP_TEXT } from './command-help';
export { parseCommand } from './parse-command';
export { executeCommand } from './execute-command';

/**
 * Pure builders from incident data to chat-neutral cards. Everything that came from outside (alert
 * text, tool output, model output derived from them, people's comments) is escaped, and alert or
 * tool text additionally sits in a quote block, so it is shown as data and never read as markup.
 */

export { escapeMarkdown, quoteUntrusted } from './untrusted-text';
export { diagnosisCard } from './diagnosis-card';
export { proposalCard } from './proposal-card';
export { outcomeCard } from './outcome-card';
export { agentRunLine } from './agent-run-line';
export { withMentions } from './mentions';

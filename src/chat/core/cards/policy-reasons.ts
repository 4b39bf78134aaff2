import type { PolicyDecision } from '../../../domain';
import type { Translator } from '../../../i18n';
import { escapeMarkdown } from './untrusted-text';

/**
 * The policy's reasons as card lines in the reader's language, markdown-safe. The policy writes each reason in
 * every language when it decides (src/policy); a plain string is one recorded before that, shown as it is.
 */
export function policyReasonLines(decision: PolicyDecision, tr: Translator): string[] {
  return decision.reasons.map((reason) => escapeMarkdown(typeof reason === 'string' ? reason : reason[tr.language]));
}

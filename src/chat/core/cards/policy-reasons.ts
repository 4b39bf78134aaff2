import type { PolicyDecision } from '../../../domain';
import type { Translator } from '../../../i18n';
import { escapeMarkdown } from './untrusted-text';

/**
 * The policy's reasons as card lines, markdown-safe. The policy writes them (src/policy); the cards show what it
 * gives. `tr` is the reader's language, for reasons the policy gives as catalog messages.
 */
export function policyReasonLines(decision: PolicyDecision, _tr: Translator): string[] {
  return decision.reasons.map((reason) => escapeMarkdown(reason));
}

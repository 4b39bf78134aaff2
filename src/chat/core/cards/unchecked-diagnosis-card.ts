import type { Alert, Diagnosis, IncidentContext } from '../../../domain';
import type { Card } from '../card';
import { alertFields, alertSections, button, footer } from './incident-card-parts';
import { escapeMarkdown } from './untrusted-text';

/**
 * A diagnosis that checked nothing (no target or runbook for the alert: category unknown, no evidence)
 * is not a finding to approve. The card says what would make the alert checkable and offers what a
 * person can do now: escalate it, or dismiss it.
 */
export function isUncheckable(diagnosis: Diagnosis): boolean {
  return diagnosis.category === 'unknown' && diagnosis.evidence.length === 0;
}

export function uncheckedCard(ctx: IncidentContext, alert: Alert, diagnosis: Diagnosis): Card {
  const service = alert.service ? `\`${escapeMarkdown(alert.service, 100)}\`` : 'the service this alert is about';
  return {
    // "Diagnosis ready" stays: people (and tools) know the card by it; what follows says it is no finding.
    title: `[${diagnosis.severity.toUpperCase()}] Diagnosis ready: nothing could be checked · ${ctx.incidentId}`,
    tone: 'grey',
    sections: [
      ...alertSections(alert, ctx),
      `**Why**\n${escapeMarkdown(diagnosis.rootCause)}`,
      [
        '**What would make it checkable**',
        `- an entry for ${service} in the \`TARGETS_FILE\` (its health URL, database or cluster), so its checks can run;`,
        '- or a runbook in `runbooks/` whose match fits this alert.',
        `Then type \`/retry ${ctx.incidentId}\` once it is escalated, or send the alert again.`,
      ].join('\n'),
      'Nothing here needs approving. Escalate it to people, or dismiss it if it is noise.',
    ],
    fields: alertFields(ctx, alert),
    buttons: [button(ctx, 'Escalate', 'primary', 'incident.escalate', 'escalate'), button(ctx, 'Dismiss', 'danger', 'incident.ignore', 'ignore')],
    footer: footer(ctx),
  };
}

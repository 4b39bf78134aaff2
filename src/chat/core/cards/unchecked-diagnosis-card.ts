import type { Alert, Diagnosis, IncidentContext } from '../../../domain';
import type { Translator } from '../../../i18n';
import type { Card } from '../card';
import { headed, severityTag } from './card-format';
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

export function uncheckedCard(ctx: IncidentContext, alert: Alert, diagnosis: Diagnosis, tr: Translator): Card {
  const service = alert.service ? `\`${escapeMarkdown(alert.service, 100)}\`` : tr.t('card.unchecked.unknownService');
  return {
    // "Diagnosis ready" stays: people (and tools) know the card by it; what follows says it is no finding.
    title: tr.t('card.unchecked.title', { severity: severityTag(tr, diagnosis.severity), incidentId: ctx.incidentId }),
    tone: 'grey',
    sections: [
      ...alertSections(alert, ctx, tr),
      headed(tr.t('card.unchecked.why'), escapeMarkdown(diagnosis.rootCause)),
      tr.t('card.unchecked.howToCheck', { service, incidentId: ctx.incidentId }),
      tr.t('card.unchecked.nothingToApprove'),
    ],
    fields: alertFields(ctx, alert, tr),
    buttons: [
      button(ctx, tr.t('card.button.escalate'), 'primary', 'incident.escalate', 'escalate'),
      button(ctx, tr.t('card.button.dismiss'), 'danger', 'incident.ignore', 'ignore'),
    ],
    footer: footer(ctx, tr),
  };
}

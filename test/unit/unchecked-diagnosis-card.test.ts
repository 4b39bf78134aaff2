import { describe, expect, it } from 'vitest';
import { diagnosisCard } from '../../src/chat/core/cards';
import type { Card } from '../../src/chat/core/card';
import type { Diagnosis } from '../../src/domain';
import { ENGLISH_UTC } from '../../src/i18n';
import { EXAMPLE_INCIDENT_ID, incidentContext } from '../support/incident-context';

const tr = ENGLISH_UTC.translator();

const ID = EXAMPLE_INCIDENT_ID;
const nothingChecked: Diagnosis = {
  summary: 'No runbook matches "HTTP 503 on /pay".',
  rootCause: 'Unknown: no built-in rule or runbook with steps matches this alert and its configured targets, so nothing could be checked.',
  category: 'unknown',
  severity: 'high',
  confidence: 0.1,
  evidence: [],
};
const text = (card: Card) => [card.title, ...card.sections, card.footer].join('\n');
const alert = { source: 'web console', fingerprint: 'fp', title: 'HTTP 503 on /pay', status: 'firing' as const, severity: 'high' as const, service: 'checkout', labels: {} };

describe('a diagnosis that checked nothing', () => {
  it('is not offered for approval: it says what would make it checkable and offers escalate or dismiss', () => {
    const card = diagnosisCard(incidentContext({ alert, diagnosis: nothingChecked }), tr);
    expect(card.title).toBe(`[HIGH] Diagnosis ready: nothing could be checked · ${ID}`);
    expect(text(card)).toContain('an entry for `checkout` in the `TARGETS_FILE`');
    expect(text(card)).toContain('a runbook in `runbooks/`');
    expect(text(card)).not.toMatch(/Is this diagnosis right/);
    expect(card.buttons.map((b) => [b.label, b.value.action, b.command])).toEqual([
      ['Escalate', 'incident.escalate', `/escalate ${ID}`],
      ['Dismiss', 'incident.ignore', `/ignore ${ID}`],
    ]);
  });

  it('a diagnosis with evidence, or a finding of another category, is still asked about', () => {
    const checked = { ...nothingChecked, evidence: [{ source: 'http.probe', summary: '503', status: 'success' as const }] };
    for (const diagnosis of [checked, { ...nothingChecked, category: 'availability' }]) {
      const card = diagnosisCard(incidentContext({ alert, diagnosis }), tr);
      expect(card.title).not.toMatch(/nothing could be checked/);
      expect(card.buttons.map((b) => b.value.action)).toEqual(['diagnosis.approved', 'diagnosis.rejected']);
    }
  });
});

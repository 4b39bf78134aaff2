import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/core/card';
import { decidedCard, decisionLine } from '../../src/chat/core/decided-card';

const card: Card = {
  title: '[HIGH] Diagnosis ready · INC-7K2M9Q4T',
  tone: 'orange',
  sections: ['**Summary**\ncheckout fails its health check.', 'Is this diagnosis right?'],
  fields: [{ label: 'Incident', value: 'INC-7K2M9Q4T' }],
  buttons: [
    {
      label: 'Approve',
      style: 'primary',
      value: { incidentId: 'INC-7K2M9Q4T', action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 },
      command: '/approve INC-7K2M9Q4T diagnosis',
    },
  ],
  footer: 'Incident INC-7K2M9Q4T · attempt 1',
};
const at = new Date('2026-03-14T02:17:45.123Z');

describe('decidedCard', () => {
  it('keeps the content, drops the buttons and ends with who decided and when', () => {
    const decided = decidedCard(card, { verb: 'Approved', by: 'ou_alice', at });
    expect(decided).toEqual({
      ...card,
      buttons: [],
      sections: [...card.sections, '**Approved** by ou\\_alice at 2026-03-14 02:17 UTC'],
    });
  });

  it('leaves the original card as it was', () => {
    decidedCard(card, { verb: 'Rejected', by: 'bob', at });
    expect(card.buttons).toHaveLength(1);
    expect(card.sections).toHaveLength(2);
  });

  it('shows a name as data, not markup', () => {
    expect(decisionLine({ verb: 'Approved', by: '<at id=all></at> **x**', at })).toBe(
      '**Approved** by \\<at id=all\\>\\</at\\> \\*\\*x\\*\\* at 2026-03-14 02:17 UTC',
    );
  });
});

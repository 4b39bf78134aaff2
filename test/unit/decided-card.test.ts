import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/core/card';
import { decidedCard, decisionLine } from '../../src/chat/core/decided-card';
import { ENGLISH_UTC, I18n } from '../../src/i18n';

const tr = ENGLISH_UTC.translator();

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
    const decided = decidedCard(card, { verb: 'Approved', by: 'ou_alice', at }, tr);
    expect(decided).toEqual({
      ...card,
      buttons: [],
      sections: [...card.sections, '**Approved** by ou\\_alice at Mar 14, 02:17'],
    });
  });

  it('leaves the original card as it was', () => {
    decidedCard(card, { verb: 'Rejected', by: 'bob', at }, tr);
    expect(card.buttons).toHaveLength(1);
    expect(card.sections).toHaveLength(2);
  });

  it('shows a name as data, not markup', () => {
    expect(decisionLine({ verb: 'Approved', by: '<at id=all></at> **x**', at }, tr)).toBe(
      '**Approved** by \\<at id=all\\>\\</at\\> \\*\\*x\\*\\* at Mar 14, 02:17',
    );
  });

  it('says who decided and when in Chinese, in TIMEZONE', () => {
    const zh = new I18n('zh-CN', 'Asia/Shanghai').translator();
    expect(decisionLine({ verb: '诊断已确认', by: 'ou_alice', at }, zh)).toBe('**诊断已确认** · ou\\_alice · 3月14日 10:17');
  });
});

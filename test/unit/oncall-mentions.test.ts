import { describe, expect, it } from 'vitest';
import { renderLarkCard } from '../../src/chat/core/card-json';
import type { Card } from '../../src/chat/core/card';
import { withMentions } from '../../src/chat/core/cards';
import { renderCardText } from '../../src/chat/terminal/render-card';
import type { PolicyDecision } from '../../src/domain';
import { deciderMentions, diagnosisDeciders, escalationDeciders, onCallPeople, proposalDeciders, urgentChannels } from '../../src/policy/oncall-mentions';
import { parsePolicy } from '../../src/policy/policy-rules';
import { ENGLISH_UTC, verbatim } from '../../src/i18n';

const NOW = new Date('2026-01-07T00:00:00Z');
const policy = (extra: Record<string, unknown> = {}) =>
  parsePolicy(
    {
      roles: { admin: ['ou_alice'], operator: ['ou_bob', 'ou_carol'] },
      oncall: { default: { people: ['ou_alice'] }, roles: { operator: { people: ['ou_carol', 'oc_sre'] } }, ...extra },
    },
    'test',
  );

describe('whom cards mention', () => {
  it('on-call (the default): the people on call for the deciding roles, groups left out', () => {
    const rules = policy();
    expect(deciderMentions(rules, diagnosisDeciders(rules), NOW)).toEqual(['ou_carol', 'ou_alice']);
    expect(deciderMentions(rules, ['operator'], NOW)).toEqual(['ou_carol']);
    expect(onCallPeople(rules, escalationDeciders(rules), NOW)).toEqual(['ou_carol', 'ou_alice']);
  });

  it('approvers: everyone holding the roles; nobody when anyone may decide', () => {
    const rules = policy({ mention: 'approvers' });
    expect(deciderMentions(rules, ['operator'], NOW)).toEqual(['ou_bob', 'ou_carol']);
    expect(deciderMentions(rules, ['*'], NOW)).toEqual([]);
  });

  it('none: nobody', () => {
    expect(deciderMentions(policy({ mention: 'none' }), ['operator', 'admin'], NOW)).toEqual([]);
  });

  it('nobody without a roster, so a policy without one behaves as before', () => {
    const rules = parsePolicy({ roles: { operator: ['ou_bob'] } }, 'test');
    expect(deciderMentions(rules, ['operator'], NOW)).toEqual([]);
  });

  it('a proposal asks the roles its decision named', () => {
    const rules = policy();
    const decision = { action: 'require_approval', risk: 'high', approvers: { roles: ['admin'], ids: ['ou_alice'] } } as PolicyDecision;
    expect(proposalDeciders(rules, decision)).toEqual(['admin']);
    expect(proposalDeciders(rules, { action: 'require_approval', risk: 'read-only' } as PolicyDecision)).toEqual(['operator', 'admin']);
  });

  it('urgent goes out on the channels listed for the severity', () => {
    expect(urgentChannels(policy(), 'critical')).toEqual(['app']);
    expect(urgentChannels(policy(), 'low')).toEqual([]);
    expect(urgentChannels(policy({ urgent: { app: ['high'], sms: ['critical'], phone: ['critical'] } }), 'critical')).toEqual(['sms', 'phone']);
  });
});

describe('mentions on a card', () => {
  const card: Card = { title: 'Escalated', tone: 'red', sections: ['**Why**\nBroken'], fields: [{ label: 'Incident', value: 'INC-1' }], buttons: [] };

  it('are Lark markdown mentions first in the card body, each once, ids that are not plain ids left out', () => {
    expect(withMentions(card, ['ou_a', 'ou_b', 'ou_a']).mentions).toEqual([{ kind: 'person', id: 'ou_a' }, { kind: 'person', id: 'ou_b' }]);
    const person = (id: string) => ({ kind: 'person' as const, id });
    const json = renderLarkCard(verbatim({ ...card, mentions: [person('ou_a'), person('ou_b'), person('ou_a'), person('x></at><at id=all')] }), 'en');
    expect(json.body.elements[0]).toEqual({ tag: 'markdown', content: '<at id=ou_a></at> <at id=ou_b></at>' });
    expect(JSON.stringify(json)).not.toContain('id=all');
  });

  it('are absent when there is nobody to mention', () => {
    expect(withMentions(card, [])).toBe(card);
    expect(JSON.stringify(renderLarkCard(verbatim(card), 'en'))).not.toContain('<at');
  });

  it('read as @id in the terminal', () => {
    expect(renderCardText(withMentions(card, ['ou_a', 'ou_b']), 'console-1', ENGLISH_UTC.translator())).toMatch(/^== Escalated =+\n@ou_a @ou_b\n-+\nIncident: INC-1/);
  });
});

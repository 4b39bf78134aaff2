import { describe, expect, it } from 'vitest';
import { incidentMachine } from '../../machines/incident.machine';
import { renderLarkCard } from '../../src/chat/core/card-json';
import type { LarkElement, LarkMarkdown } from '../../src/chat/core/card-json';
import { diagnosisCard, outcomeCard, proposalCard } from '../../src/chat/core/cards';
import { ESCALATION_REASON_KEYS } from '../../src/chat/core/cards/escalation-reason';
import { stormCard } from '../../src/chat/core/cards/storm-card';
import { renderCardText } from '../../src/chat/terminal/render-card';
import type { IncidentContext } from '../../src/domain';
import { ENGLISH_UTC, I18n } from '../../src/i18n';
import { EXAMPLE_INCIDENT_ID, incidentContext } from '../support/incident-context';

const ID = EXAMPLE_INCIDENT_ID;
/** Alert text that looks like markup: it must reach every reader the same, as data. */
const HOSTILE = '**URGENT** <at id=all></at> [click](http://evil) 支付失败';
const i18n = new I18n('zh-CN', 'Asia/Shanghai');
const zh = i18n.translator('zh-CN');

function incident(overrides: Partial<IncidentContext> = {}): IncidentContext {
  return incidentContext({
    alert: { source: 'prometheus', fingerprint: 'fp', title: HOSTILE, status: 'firing', severity: 'critical', service: 'checkout', labels: {} },
    diagnosis: {
      summary: 'Checkout pods are out of memory',
      rootCause: 'A memory leak after the 1.4 deploy',
      category: 'resource',
      severity: 'critical',
      confidence: 0.82,
      evidence: [{ source: 'k8s.pods', summary: '3 pods OOMKilled', status: 'success' }],
    },
    proposal: {
      summary: 'Roll back checkout to 1.3',
      rationale: 'The leak started with 1.4',
      riskClaim: 'medium',
      steps: [{ pluginId: 'k8s.rollback', args: {}, summary: 'Roll back the deployment' }],
      verification: [{ pluginId: 'http.check', args: {} }],
    },
    decision: { action: 'require_approval', risk: 'medium', reasons: ['Production change'], approvalsRequired: 1 },
    ...overrides,
  });
}

function markdowns(elements: LarkElement[]): LarkMarkdown[] {
  return elements.flatMap((element): LarkMarkdown[] => {
    if (element.tag === 'markdown') return [element];
    if (element.tag === 'column_set') return element.columns.flatMap((column) => markdowns(column.elements));
    return [];
  });
}

describe('cards in Chinese', () => {
  it('a diagnosis card reads in Chinese: title, headings, fields, buttons and footer; the model and alert text stay as they are', () => {
    const card = diagnosisCard(incident(), zh);
    expect(card.title).toBe(`[严重] 诊断完成 · ${ID}`);
    expect(card.sections).toContain('**根因**\nA memory leak after the 1.4 deploy');
    expect(card.sections).toContain('这个诊断是否正确？批准后我会给出修复方案；驳回则转交人工处理。');
    expect(card.fields).toContainEqual({ label: '级别', value: '严重' });
    expect(card.fields).toContainEqual({ label: '置信度', value: '82%' });
    expect(card.buttons.map((b) => [b.label, b.command])).toEqual([
      ['批准', `/approve ${ID} diagnosis`],
      ['驳回', `/reject ${ID} diagnosis`],
    ]);
    expect(card.footer).toBe(`事件 ${ID} · 第 1 次尝试`);
    expect(card.sections[0]).toBe(diagnosisCard(incident(), ENGLISH_UTC.translator()).sections[0]?.replace('**Alert** (prometheus)', '**告警**（prometheus）'));
  });

  it('a proposal card names risk, policy and approvals in Chinese', () => {
    const card = proposalCard(incident(), zh);
    expect(card.title).toBe(`[严重] 修复方案待审批 · ${ID}`);
    expect(card.fields).toContainEqual({ label: '风险', value: '中' });
    expect(card.fields).toContainEqual({ label: '策略', value: '需要审批' });
    expect(card.fields).toContainEqual({ label: '审批', value: '0/1' });
  });

  it("shows each policy reason in the reader's language, and an older plain-string reason as it is", () => {
    const reasons = [{ en: 'Production change: *checkout*', 'zh-CN': '生产变更：*checkout*' }, 'Recorded before reasons were translated'];
    const decision = { action: 'require_approval' as const, risk: 'medium' as const, reasons, approvalsRequired: 1 };
    const policy = (card: { sections: string[] }) => card.sections.find((section) => section.startsWith('**策略**') || section.startsWith('**Policy**'));
    expect(policy(proposalCard(incident({ decision }), zh))).toBe('**策略**\n- 生产变更：\\*checkout\\*\n- Recorded before reasons were translated');
    expect(policy(proposalCard(incident({ decision }), ENGLISH_UTC.translator()))).toBe('**Policy**\n- Production change: \\*checkout\\*\n- Recorded before reasons were translated');
  });

  it("an escalation card gives the chart's reason in the reader's language, and a reason it does not know as it is", () => {
    const at = '2026-12-07T06:05:00Z';
    const known = outcomeCard(incident({ escalation: { reason: 'Nobody approved the fix in time', at } }), 'escalated', zh);
    expect(known.title).toBe(`[严重] 已转人工 · ${ID}`);
    expect(known.sections).toContain('**原因**\n修复方案在期限内无人审批');
    const unknown = outcomeCard(incident({ escalation: { reason: 'Some *new* reason', at } }), 'escalated', zh);
    expect(unknown.sections).toContain('**原因**\nSome \\*new\\* reason');
  });

  it('every escalation reason the chart records has its words in the catalog', () => {
    const reasons = [...JSON.stringify(incidentMachine.config).matchAll(/"type":"recordEscalation","params":\{"reason":"([^"]+)"\}/g)].map((m) => m[1]);
    expect(reasons.length).toBeGreaterThan(15);
    expect(reasons.filter((reason) => !reason || !ESCALATION_REASON_KEYS.has(reason))).toEqual([]);
  });

  it('a storm card gives its times in TIMEZONE, by the reader’s clock', () => {
    const members = [{ incidentId: 'INC-1', severity: 'high', alertname: 'KubeNodeNotReady', service: null, standing: 'waiting' as const }];
    const card = stormCard({ stormId: 'STORM-1', startedAt: new Date('2026-12-07T06:05:00Z'), windowMs: 300_000, endedAt: null, members }, zh);
    expect(card.title).toBe('告警风暴 · 1 个事件，1 个未结束');
    expect(card.fields).toContainEqual({ label: '开始于', value: '12月7日 14:05' });
    expect(card.sections).toContain('**高**\n- INC-1 · KubeNodeNotReady — 等待人工');
  });

  it('a card in the terminal says what to type in Chinese', () => {
    const text = renderCardText(diagnosisCard(incident(), zh), 'console-1', zh);
    expect(text).toContain('回复以下命令：');
    expect(text).toContain(`[批准] 输入：/approve ${ID} diagnosis`);
    expect(text).toContain('消息 console-1');
  });
});

describe('a card on Lark carries both languages', () => {
  const rendered = renderLarkCard(
    i18n.both((tr) => diagnosisCard(incident(), tr)),
    'zh-CN',
  );

  it('gives the title and each translated section i18n_content for zh_cn and en_us, the fallback in the chat language', () => {
    expect(rendered.header.title).toEqual({
      tag: 'plain_text',
      content: `[严重] 诊断完成 · ${ID}`,
      i18n_content: { zh_cn: `[严重] 诊断完成 · ${ID}`, en_us: `[CRITICAL] Diagnosis ready · ${ID}` },
    });
    expect(rendered.config.summary.i18n_content).toEqual({ zh_cn: `[严重] 诊断完成 · ${ID}`, en_us: `[CRITICAL] Diagnosis ready · ${ID}` });
    const rootCause = markdowns(rendered.body.elements).find((m) => m.content.startsWith('**根因**'));
    expect(rootCause?.i18n_content).toEqual({
      zh_cn: '**根因**\nA memory leak after the 1.4 deploy',
      en_us: '**Root cause**\nA memory leak after the 1.4 deploy',
    });
    const orType = markdowns(rendered.body.elements).find((m) => m.text_size === 'notation' && m.content.startsWith('或输入命令'));
    expect(orType?.i18n_content?.en_us).toBe(`Or type: /approve ${ID} diagnosis · /reject ${ID} diagnosis`);
  });

  it('shows the untrusted alert text unchanged, and inert, in both languages', () => {
    const alert = markdowns(rendered.body.elements).find((m) => m.content.startsWith('**告警**'));
    const escaped = '&#42;&#42;URGENT&#42;&#42; &#60;at id=all&#62;&#60;/at&#62; &#91;click&#93;(http://evil) 支付失败';
    expect(alert?.i18n_content).toEqual({ zh_cn: `**告警**（prometheus）\n> ${escaped}`, en_us: `**Alert** (prometheus)\n> ${escaped}` });
    expect(JSON.stringify(rendered)).not.toContain('<at');
  });

  it("translates a field's label and keeps its value (ids, numbers) as it is", () => {
    const incidentField = markdowns(rendered.body.elements).find((m) => m.content.endsWith(`\n${ID}`));
    expect(incidentField?.content).toBe(`**事件**\n${ID}`);
    const confidence = markdowns(rendered.body.elements).find((m) => m.content.endsWith('\n82%'));
    expect(confidence?.i18n_content).toEqual({ zh_cn: '**置信度**\n82%', en_us: '**Confidence**\n82%' });
  });

  it('shows our own step and check notes in the reader\'s language, and a plugin\'s words as they came', () => {
    const ctx = incident({
      execution: {
        succeeded: true,
        steps: [
          { pluginId: 'k8s.rollback', idempotencyKey: 'k1', status: 'success', summary: 'Interrupted by a restart; the effect was confirmed, so it was not repeated.', note: { key: 'card.step.interruptedApplied' }, elapsedMs: 5, recovered: true },
          { pluginId: 'k8s.scale', idempotencyKey: 'k2', status: 'success', summary: 'scaled to 4 replicas', elapsedMs: 5, recovered: false },
        ],
      },
      verification: { passed: true, checks: [{ pluginId: 'alerts', passed: true, summary: 'Every alert of the incident (3) recovered at source.', note: { key: 'card.check.recoveredAtSource', values: { n: 3 } } }] },
    });
    const chinese = outcomeCard(ctx, 'resolved', zh).sections.join('\n');
    expect(chinese).toContain('执行被重启打断；已确认生效');
    expect(chinese).toContain('全部 3 条告警');
    expect(chinese).toContain('scaled to 4 replicas');
    const english = outcomeCard(ctx, 'resolved', ENGLISH_UTC.translator()).sections.join('\n');
    expect(english).toContain('Every alert of the incident (3) recovered at source.');
  });
});

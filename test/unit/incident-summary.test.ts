import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { summaryCard, summaryMarkdown } from '../../src/chat/core/cards/summary-card';
import { renderLarkCard } from '../../src/chat/core/card-json';
import { AnthropicLlm } from '../../src/diagnosis/providers/anthropic';
import { SummaryWriter } from '../../src/diagnosis/summary-writer';
import type { ReadyContext } from '../../src/implementations/incident-context';
import { summaryFacts } from '../../src/implementations/summary-facts';
import type { SummaryAuditRow } from '../../src/implementations/summary-facts';
import { ENGLISH_UTC, I18n } from '../../src/i18n';
import { FakeAnthropicApi } from '../fakes/anthropic-api';
import { text } from '../fakes/llm-fake-common';
import { incidentContext } from '../support/incident-context';

const opened = Date.parse('2026-12-07T06:00:00Z');
const at = (minutes: number) => new Date(opened + minutes * 60_000);
const row = (id: number, minutes: number, eventType: string, toState: string, extra: Partial<SummaryAuditRow> = {}): SummaryAuditRow => ({
  id, at: at(minutes), actor: 'system', eventType, fromState: null, toState, payload: {}, ...extra,
});

const rows: SummaryAuditRow[] = [
  row(101, 0, 'alert.received', 'open.triaging', { actor: 'monitor' }),
  row(102, 1, 'xstate.done.actor.diagnose', 'open.notifyingDiagnosis', { fromState: 'open.diagnosing' }),
  row(103, 4, 'diagnosis.approved', 'open.proposing', { actor: 'alice', payload: { by: { id: 'alice', name: 'Alice' } } }),
  row(104, 6, 'proposal.approved', 'remediating.executing', { actor: 'bob' }),
  row(105, 8, 'xstate.done.actor.verify', 'resolving', { fromState: 'remediating.verifying' }),
];

const context = incidentContext({
  alert: { source: 'test', fingerprint: 'fp', title: 'checkout returns 503', status: 'firing', severity: 'high', service: 'checkout', labels: {} },
  diagnosis: {
    summary: 'checkout fails its health check', rootCause: 'the pods are wedged', category: 'availability', severity: 'high',
    confidence: 0.8, evidence: [], affectedService: 'checkout',
  } as unknown as ReadyContext['diagnosis'],
  execution: { succeeded: true, steps: [{ pluginId: 'http.call', idempotencyKey: 'k', status: 'success', summary: 'POST /admin/restart → 200', elapsedMs: 40, recovered: false }] },
  verification: { passed: true, checks: [{ pluginId: 'http.probe', passed: true, summary: '200' }] },
}) as ReadyContext;

describe('post-incident summary facts', () => {
  it('reads what fired, who decided when, what ran, TTA (first human action) and TTR (end) from the audit rows', () => {
    const facts = summaryFacts(context, rows, 'resolved');
    expect(facts).toMatchObject({
      openedRow: 101,
      fired: { title: 'checkout returns 503', service: 'checkout', alerts: 1 },
      cause: { rowId: 102, rootCause: 'the pods are wedged' },
      decisions: [
        { rowId: 103, by: 'alice', name: 'Alice', action: 'diagnosis.approved' },
        { rowId: 104, by: 'bob', action: 'proposal.approved' },
      ],
      steps: [{ pluginId: 'http.call', status: 'success' }],
      stepsRow: 105,
      verified: true,
      ttaMs: 4 * 60_000,
      ttrMs: 8 * 60_000,
      rows: [101, 102, 103, 104, 105],
    });
  });

  it('has no TTA when nobody acted and no TTR when it was escalated', () => {
    const facts = summaryFacts({ ...context, escalation: { reason: 'Verification failed', at: at(8).toISOString() } }, [rows[0]!, rows[1]!, rows[4]!], 'escalated');
    expect(facts).toMatchObject({ ttaMs: null, ttrMs: null, decisions: [], escalationReason: 'Verification failed' });
  });
});

describe('the template', () => {
  const facts = summaryFacts(context, rows, 'resolved');

  it('writes each fact in English, in TIMEZONE', () => {
    const markdown = summaryMarkdown(facts, undefined, ENGLISH_UTC.translator('en'));
    expect(markdown).toContain('**What fired**: checkout returns 503 on checkout (1 alert), first at Dec 7, 06:00.');
    expect(markdown).toContain('Root cause: the pods are wedged');
    expect(markdown).toContain('Dec 7, 06:04: Diagnosis approved by Alice');
    expect(markdown).toContain('Fix approved by bob');
    expect(markdown).toContain('http.call');
    expect(markdown).toContain('**What changed**: the checks passed after the fix.');
    expect(markdown).toContain('**Outcome**: resolved.');
    expect(markdown).toContain('Time to acknowledge: 4 minutes. Time to resolve: 8 minutes.');
  });

  it('writes it in Chinese, times in Asia/Shanghai', () => {
    const markdown = summaryMarkdown(facts, undefined, new I18n('zh-CN', 'Asia/Shanghai').translator('zh-CN'));
    expect(markdown).toContain('**告警**：checkout 的 checkout returns 503（1 条告警），首次触发于 12月7日 14:00。');
    expect(markdown).toContain('12月7日 14:04：Alice 确认了诊断');
    expect(markdown).toContain('**结果**：已解决。');
    expect(markdown).toContain('响应时长：4 分钟；解决时长：8 分钟。');
  });

  it('makes a Lark card with both languages in i18n_content', () => {
    const cards = new I18n('zh-CN', 'Asia/Shanghai').both((tr) => summaryCard({ facts }, tr));
    expect(cards['zh-CN'].title).toBe('[高] 事件复盘摘要 · INC-7K2M9Q4T');
    expect(cards.en.fields).toEqual([{ label: 'Time to acknowledge', value: '4 minutes' }, { label: 'Time to resolve', value: '8 minutes' }]);
    const json = JSON.stringify(renderLarkCard(cards, 'zh-CN'));
    expect(json).toContain('"zh_cn"');
    expect(json).toContain('"en_us"');
    expect(json).toContain('事件复盘摘要');
    expect(json).toContain('Incident summary');
  });
});

describe('the model writes the prose, grounded in the rows it cites', () => {
  const fake = new FakeAnthropicApi();
  let writer: SummaryWriter;
  const facts = summaryFacts(context, rows, 'resolved');
  beforeAll(async () => {
    const { baseURL } = await fake.start();
    const llm = new AnthropicLlm({ apiKey: 'sk-ant-test', baseURL, model: 'claude-sonnet-5-5', timeoutMs: 10_000 });
    writer = new SummaryWriter(llm, { scrub: (value) => value.replaceAll('wedged', '[REDACTED]') });
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.stop());

  it('keeps a valid answer citing existing rows, from facts that were scrubbed', async () => {
    fake.enqueue(text('```json\n{"en": "Alice confirmed; a restart fixed checkout.", "zh": "Alice 确认诊断，重启后 checkout 恢复。", "cites": [103, 105]}\n```'));
    const prose = await writer.write(facts);
    expect(prose).toEqual({ en: 'Alice confirmed; a restart fixed checkout.', 'zh-CN': 'Alice 确认诊断，重启后 checkout 恢复。', cites: [103, 105] });
    const sent = JSON.stringify(fake.requests[0]?.body);
    expect(sent).toContain('[REDACTED]');
    expect(sent).not.toContain('wedged');
    const markdown = summaryMarkdown(facts, prose, ENGLISH_UTC.translator('en'));
    expect(markdown).toContain('Written by the model from the audit trail (rows 103, 105)');
    expect(markdown).toContain('> Alice confirmed; a restart fixed checkout.');
    expect(markdown).toContain('Time to acknowledge: 4 minutes.');
  });

  it('refuses an answer that cites a row that does not exist (the template is used)', async () => {
    fake.enqueue(text('{"en": "Carol rolled back.", "zh": "Carol 回滚了。", "cites": [103, 999]}'));
    expect(await writer.write(facts)).toBeUndefined();
  });

  it('refuses an answer that is not the JSON asked for, or too long', async () => {
    fake.enqueue(text('All good.'));
    expect(await writer.write(facts)).toBeUndefined();
    fake.enqueue(text(JSON.stringify({ en: 'x'.repeat(5000), zh: '好', cites: [101] })));
    expect(await writer.write(facts)).toBeUndefined();
  });
});

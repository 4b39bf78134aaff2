import { describe, expect, it } from 'vitest';
import { renderLarkCard } from '../../src/chat/core/card-json';
import type { LarkElement, LarkMarkdown } from '../../src/chat/core/card-json';
import { proposalCard } from '../../src/chat/core/cards';
import type { FixStep, IncidentContext } from '../../src/domain';
import { ENGLISH_UTC, I18n } from '../../src/i18n';
import { incidentContext } from '../support/incident-context';

const i18n = new I18n('zh-CN', 'Asia/Shanghai');
const zh = i18n.translator('zh-CN');
const en = ENGLISH_UTC.translator();

const STEPS: FixStep[] = [
  { pluginId: 'kubernetes.scale', args: {}, summary: 'Scale checkout to 6', undo: 'rollback' },
  { pluginId: 'redis.delete_keys', args: {}, summary: 'Drop the poisoned cache keys', undo: 'none' },
  { pluginId: 'postgres.terminate_backends', args: {}, summary: 'End the stuck sessions', undo: 'none' },
  { pluginId: 'shell.run', args: {}, summary: 'Run the warm-up script' },
];

function incident(steps: FixStep[], rollback?: string[]): IncidentContext {
  return incidentContext({
    alert: { source: 'prometheus', fingerprint: 'fp', title: 'Checkout errors', status: 'firing', severity: 'critical', service: 'checkout', labels: {} },
    proposal: {
      summary: 'Add capacity and clear the cache',
      rationale: 'Saturated and a poisoned cache',
      riskClaim: 'medium',
      steps,
      verification: [{ pluginId: 'http.probe', args: {} }],
      ...(rollback && { rollback }),
    },
    decision: { action: 'require_approval', risk: 'medium', reasons: [], approvalsRequired: 1 },
  });
}

function markdowns(elements: LarkElement[]): LarkMarkdown[] {
  return elements.flatMap((element): LarkMarkdown[] => {
    if (element.tag === 'markdown') return [element];
    if (element.tag === 'column_set') return element.columns.flatMap((column) => markdowns(column.elements));
    return [];
  });
}

describe('the proposal card says which steps can be undone', () => {
  it('in English: each step, and one line before the buttons naming the steps that cannot be undone', () => {
    const card = proposalCard(incident(STEPS), en);
    const steps = card.sections.find((s) => s.startsWith('**Steps**'));
    expect(steps).toContain('1. Scale checkout to 6 (kubernetes.scale) · can be undone');
    expect(steps).toContain('2. Drop the poisoned cache keys (redis.delete\\_keys) · cannot be undone');
    expect(steps?.split('\n').at(-1)).toBe('4. Run the warm-up script (shell.run)');
    expect(card.sections.at(-1)).toBe('**This fix cannot be fully undone:** step 2 (redis.delete\\_keys) and step 3 (postgres.terminate\\_backends)');
  });

  it('in Chinese', () => {
    const card = proposalCard(incident(STEPS), zh);
    const steps = card.sections.find((s) => s.startsWith('**步骤**'));
    expect(steps).toContain('1. Scale checkout to 6 (kubernetes.scale) · 可回滚');
    expect(steps).toContain('2. Drop the poisoned cache keys (redis.delete\\_keys) · 不可回滚');
    expect(card.sections.at(-1)).toBe('**此修复无法完全回滚：**第 2 步（redis.delete\\_keys）和第 3 步（postgres.terminate\\_backends）');
  });

  it('on Lark, with both languages in i18n_content, the line right before the buttons', () => {
    const rendered = renderLarkCard(i18n.both((tr) => proposalCard(incident(STEPS), tr)), 'zh-CN');
    const elements = rendered.body.elements;
    const line = markdowns(elements).find((m) => m.i18n_content?.en_us?.startsWith('**This fix cannot be fully undone:**'));
    expect(line?.i18n_content?.zh_cn).toMatch(/^\*\*此修复无法完全回滚：\*\*/);
    const lineAt = elements.findIndex((element) => element === line);
    // Next come the buttons (a column set of buttons, then the typed commands).
    expect(elements[lineAt + 1]).toMatchObject({ tag: 'column_set', columns: [{ elements: [{ tag: 'button' }] }, { elements: [{ tag: 'button' }] }] });
  });

  it('says nothing of undo for an older proposal whose steps do not say, and keeps its rollback lines', () => {
    const old = STEPS.map(({ undo: _undo, ...step }) => step);
    const card = proposalCard(incident(old, ['kubernetes.scale can undo "Scale checkout to 6" if the fix makes things worse.']), en);
    expect(card.sections.join('\n')).not.toMatch(/can be undone|cannot be/);
    expect(card.sections.some((s) => s.startsWith('**If it makes things worse**'))).toBe(true);
    const undoable = proposalCard(incident([STEPS[0] as FixStep], ['kubernetes.scale can undo it']), en);
    expect(undoable.sections.some((s) => s.startsWith('**If it makes things worse**'))).toBe(false);
    expect(undoable.sections.join('\n')).not.toContain('cannot be fully undone');
  });
});

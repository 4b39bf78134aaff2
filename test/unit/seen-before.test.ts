import { describe, expect, it } from 'vitest';
import { renderLarkCard } from '../../src/chat/core/card-json';
import type { LarkElement, LarkMarkdown } from '../../src/chat/core/card-json';
import { diagnosisCard } from '../../src/chat/core/cards';
import { seenBeforeSummary } from '../../src/chat/core/cards/seen-before';
import { DiagnosisSchema } from '../../src/domain';
import type { Diagnosis, SeenBefore } from '../../src/domain';
import { ENGLISH_UTC, I18n } from '../../src/i18n';
import type { RecalledIncident } from '../../src/memory';
import { SEEN_BEFORE_MIN_SIMILARITY, seenBeforeOf } from '../../src/memory';
import { incidentContext } from '../support/incident-context';

const NOW = new Date('2026-11-26T10:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const RESTART = { pluginId: 'kubernetes.rollout_restart', args: { target: 'prod', namespace: 'shop', deployment: 'checkout' } };
const SCALE = { pluginId: 'kubernetes.scale', args: { target: 'prod', namespace: 'shop', deployment: 'checkout', replicas: 4 } };

function past(id: string, options: { similarity: number; endedDaysAgo: number; fix?: typeof RESTART; executed?: boolean; worked?: boolean; cause?: string }): RecalledIncident {
  const { fix, executed = true, worked = false } = options;
  return {
    incidentId: id,
    alert: { title: 'Checkout 5xx', labels: {} },
    diagnosis: { summary: 's', rootCause: options.cause ?? 'Pods stuck after a config reload', category: 'availability' },
    fix: fix ? { summary: 'Restart checkout', steps: [fix], executed } : null,
    outcome: worked ? 'resolved' : 'escalated',
    fixWorked: worked,
    endedAt: daysAgo(options.endedDaysAgo),
    title: 'Checkout 5xx',
    summary: 'Alert: Checkout 5xx',
    similarity: options.similarity,
    score: options.similarity,
  };
}

const RECALLED = [
  past('INC-A', { similarity: 0.95, endedDaysAgo: 2, fix: RESTART, worked: true }),
  past('INC-B', { similarity: 0.9, endedDaysAgo: 9, fix: RESTART, worked: true }),
  past('INC-C', { similarity: 0.8, endedDaysAgo: 20, fix: SCALE, worked: false }),
  past('INC-D', { similarity: 0.7, endedDaysAgo: 45, fix: SCALE, worked: true }),
  past('INC-E', { similarity: SEEN_BEFORE_MIN_SIMILARITY - 0.01, endedDaysAgo: 1, fix: RESTART, worked: true }),
];

describe('what memory recalled, as people see it', () => {
  it('counts similar incidents of the last 30 days and the fix that resolved most of them; lists the closest three', () => {
    const seen = seenBeforeOf(RECALLED, { now: NOW, exceptIncidentId: 'INC-SELF' })!;
    expect(seen.recent).toEqual({ days: 30, count: 3, fix: { pluginIds: ['kubernetes.rollout_restart'], resolved: 2 } });
    expect(seen.incidents.map((p) => [p.incidentId, p.fix, p.verified])).toEqual([
      ['INC-A', ['kubernetes.rollout_restart'], true],
      ['INC-B', ['kubernetes.rollout_restart'], true],
      ['INC-C', ['kubernetes.scale'], false],
    ]);
    expect(seen.incidents[0]).toMatchObject({ at: daysAgo(2), cause: 'Pods stuck after a config reload', similarity: 0.95 });
    expect(seenBeforeSummary(seen, ENGLISH_UTC.translator('en'))).toBe('This happened 3 times in the last 30 days; `kubernetes.rollout_restart` fixed it twice.');
  });

  it('leaves out the recalling incident, the ones below the floor, and says nothing when none is left', () => {
    expect(seenBeforeOf([RECALLED[4]!], { now: NOW })).toBeUndefined();
    expect(seenBeforeOf([past('INC-SELF', { similarity: 1, endedDaysAgo: 1 })], { now: NOW, exceptIncidentId: 'INC-SELF' })).toBeUndefined();
    const once = seenBeforeOf([past('INC-F', { similarity: 0.6, endedDaysAgo: 3, fix: RESTART, executed: false })], { now: NOW })!;
    expect(once.recent).toEqual({ days: 30, count: 1 });
    expect(once.incidents[0]?.fix).toEqual([]);
  });

  it('keeps what it saw small and valid with the diagnosis; a diagnosis without it (an older snapshot) still reads', () => {
    const seen = seenBeforeOf(RECALLED, { now: NOW })!;
    const long = seenBeforeOf([past('INC-G', { similarity: 0.9, endedDaysAgo: 1, cause: 'x'.repeat(2_000) })], { now: NOW })!;
    expect(long.incidents[0]?.cause?.length).toBeLessThanOrEqual(300);
    expect(JSON.stringify(seen).length).toBeLessThan(1_000);
    const base = { summary: 's', rootCause: 'r', category: 'c', severity: 'high', confidence: 0.5, evidence: [] };
    expect(DiagnosisSchema.parse({ ...base, seenBefore: seen }).seenBefore).toEqual(seen);
    expect(DiagnosisSchema.parse(base).seenBefore).toBeUndefined();
  });
});

const HOSTILE_CAUSE = '**ignore previous** <at id=all></at> [x](http://evil)\nsecond line';
const SEEN: SeenBefore = {
  incidents: [
    { incidentId: 'INC-A', at: '2026-11-24T06:05:00Z', cause: HOSTILE_CAUSE, fix: ['kubernetes.rollout_restart'], verified: true, similarity: 0.95 },
    { incidentId: 'INC-C', at: '2026-11-06T06:05:00Z', fix: ['kubernetes.scale'], verified: false, similarity: 0.8 },
    { incidentId: 'INC-D', fix: [], verified: false, similarity: 0.7 },
  ],
  recent: { days: 30, count: 3, fix: { pluginIds: ['kubernetes.rollout_restart'], resolved: 2 } },
};
const diagnosis: Diagnosis = {
  summary: 'Checkout pods stuck',
  rootCause: 'Config reload',
  category: 'availability',
  severity: 'high',
  confidence: 0.8,
  evidence: [{ source: 'kubernetes.pods', summary: '2 pods not ready', status: 'success' }],
  seenBefore: SEEN,
};
const i18n = new I18n('zh-CN', 'Asia/Shanghai');
const section = (sections: string[], heading: string) => sections.find((s) => s.startsWith(`**${heading}**`));

function markdowns(elements: LarkElement[]): LarkMarkdown[] {
  return elements.flatMap((element): LarkMarkdown[] => {
    if (element.tag === 'markdown') return [element];
    if (element.tag === 'column_set') return element.columns.flatMap((column) => markdowns(column.elements));
    return [];
  });
}

describe('the diagnosis card says where this was seen before', () => {
  it('in English: how often, which fix worked, up to three incidents with time, escaped cause, fix and ✓/✗', () => {
    const text = section(diagnosisCard(incidentContext({ diagnosis }), ENGLISH_UTC.translator('en')).sections, 'Seen before')!;
    expect(text).toContain('This happened 3 times in the last 30 days; `kubernetes.rollout_restart` fixed it twice.');
    expect(text).toContain('- **INC-A · Nov 24, 06:05 · 95% similar**');
    expect(text).toContain('Fix: `kubernetes.rollout_restart` ✓ verified');
    expect(text).toContain('- **INC-C · Nov 6, 06:05 · 80% similar**\n  Fix: `kubernetes.scale` ✗ did not verify');
    expect(text).toContain('- **INC-D · 70% similar**\n  No fix ran');
    // The cause is data: markup escaped, kept on its line.
    expect(text).toContain('Cause: \\*\\*ignore previous\\*\\* \\<at id=all\\>\\</at\\> \\[x\\](http://evil) second line');
    expect(text).not.toMatch(/(?<!\\)<at/);
  });

  it('in Chinese, times in TIMEZONE (Asia/Shanghai)', () => {
    const text = section(diagnosisCard(incidentContext({ diagnosis }), i18n.translator('zh-CN')).sections, '历史相似事件')!;
    expect(text).toContain('过去 30 天内发生过 3 次，其中 2 次由 `kubernetes.rollout_restart` 修复。');
    expect(text).toContain('- **INC-A · 11月24日 14:05 · 相似度 95%**');
    expect(text).toContain('修复：`kubernetes.rollout_restart` ✓ 已验证');
    expect(text).toContain('修复：`kubernetes.scale` ✗ 未通过验证');
    expect(text).toContain('未执行修复');
  });

  it('on Lark the section carries both languages (i18n_content zh_cn and en_us)', () => {
    const rendered = renderLarkCard(
      i18n.both((tr) => diagnosisCard(incidentContext({ diagnosis }), tr)),
      'zh-CN',
    );
    const seen = markdowns(rendered.body.elements).find((m) => m.content.startsWith('**历史相似事件**'));
    expect(seen?.i18n_content?.zh_cn).toContain('过去 30 天内发生过 3 次');
    expect(seen?.i18n_content?.en_us).toContain('**Seen before**\nThis happened 3 times in the last 30 days');
  });

  it('has no section when nothing was seen before, and reads a single one right', () => {
    const { seenBefore: _, ...without } = diagnosis;
    expect(section(diagnosisCard(incidentContext({ diagnosis: without }), ENGLISH_UTC.translator('en')).sections, 'Seen before')).toBeUndefined();
    const once = { ...SEEN, recent: { days: 30, count: 1, fix: { pluginIds: ['a.b', 'c.d'], resolved: 1 } } };
    expect(seenBeforeSummary(once, ENGLISH_UTC.translator('en'))).toBe('This happened once in the last 30 days; `a.b` and `c.d` fixed it once.');
    expect(seenBeforeSummary({ ...SEEN, recent: { days: 30, count: 0 } }, ENGLISH_UTC.translator('en'))).toBe('Not seen in the last 30 days.');
  });
});

import { createMachine } from 'xstate';
import { beforeAll, describe, expect, it } from 'vitest';
import { incidentMachine } from '../../machines/incident.machine';
import { LANGUAGES } from '../../src/i18n';
import type { Language } from '../../src/i18n';
import { elkStatechart } from '../../src/server/console/statechart-elk';
import type { Box, ElkStatechart } from '../../src/server/console/statechart-elk';
import { textWidth, wrap, wrapEvenly } from '../../src/server/console/statechart-words';

/** What a person must never read on the chart: an `xstate.*` name, a camelCase key, a dotted path or event type. */
const INTERNAL = /xstate|\b[a-z]+[A-Z]\w*|\b[a-z]+\.[a-z]/;
const STATE_FONT = { latin: 8.2, wide: 13.2 };
const LABEL_FONT = { latin: 6.6, wide: 11.6 };
const HAN = /\p{Script=Han}/u;

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every text the chart shows in a language: states' lines and edge labels' lines. */
function shownTexts(chart: ElkStatechart, language: Language): string[] {
  return [...chart.states.flatMap((state) => state.lines[language]), ...chart.edges.flatMap((edge) => edge.lines[language].flat())];
}

describe('the console statechart in words', () => {
  let chart: ElkStatechart;
  beforeAll(async () => {
    chart = await elkStatechart(incidentMachine);
  });

  it('shows phases and events in words in both languages, state paths and event types only in the raw fields', () => {
    for (const language of LANGUAGES) {
      const texts = shownTexts(chart, language);
      expect(texts.length).toBeGreaterThan(50);
      expect(texts.filter((text) => INTERNAL.test(text) || text.trim() === '')).toEqual([]);
      if (language === 'zh-CN') expect(texts.filter((text) => !HAN.test(text))).toEqual([]);
    }
    const byId = new Map(chart.states.map((state) => [state.id, state]));
    expect(byId.get('open.awaitingDiagnosisApproval')?.words).toEqual({ en: 'Waiting for someone to confirm the diagnosis', 'zh-CN': '等待确认诊断' });
    expect(byId.get('open')?.lines['zh-CN']).toEqual(['分诊、诊断与审批']);
    expect(byId.get('remediating')?.lines.en).toEqual(['Fixing and verifying']);
    const approved = chart.edges.find((edge) => edge.from === 'open.awaitingDiagnosisApproval' && edge.to === 'open.proposing');
    expect(approved?.lines).toEqual({ en: [['Diagnosis approved']], 'zh-CN': [['诊断已确认']] });
    expect(approved?.transitions).toEqual([{ words: { en: 'Diagnosis approved', 'zh-CN': '诊断已确认' }, event: 'diagnosis.approved', guard: 'isFromCurrentCard' }]);
    const proposed = chart.edges.find((edge) => edge.from === 'open.proposing' && edge.to === 'open.evaluatingPolicy');
    expect(proposed?.transitions.map((step) => step.event)).toEqual(['xstate.done.actor.propose']);
    expect(proposed?.lines.en).toEqual([['Fix worked out']]);
  });

  it('sizes every box for the wider of the two languages, so switching needs no new layout', () => {
    const misfits: string[] = [];
    for (const state of chart.states.filter((s) => !s.compound)) {
      for (const language of LANGUAGES) {
        const widest = Math.max(...state.lines[language].map((line) => textWidth(line, STATE_FONT)));
        if (widest + 20 > state.width || state.lines[language].length * 15 + 10 > state.height) misfits.push(`${state.id} ${language}`);
      }
    }
    for (const state of chart.states.filter((s) => s.compound)) {
      for (const language of LANGUAGES) if (textWidth(state.lines[language][0] ?? '', STATE_FONT) + 24 > state.width) misfits.push(`${state.id} ${language}`);
    }
    for (const edge of chart.edges.filter((e) => e.label)) {
      for (const language of LANGUAGES) {
        const lines = edge.lines[language].flat();
        const widest = Math.max(...lines.map((line) => textWidth(line, LABEL_FONT)));
        if (!edge.label || widest + 8 > edge.label.width || lines.length * 14 > edge.label.height) misfits.push(`${edge.from}→${edge.to} ${language}`);
      }
    }
    expect(misfits).toEqual([]);
    // A Chinese line is narrower in characters but not in pixels: one CJK character counts as a full em.
    expect(textWidth('诊断已确认', LABEL_FONT)).toBeGreaterThan(textWidth('Diagnos', LABEL_FONT));
  });

  it('lets no two boxes overlap: states, and label boxes with each other and with states', () => {
    const boxes = [
      ...chart.states.filter((state) => !state.compound).map((state) => ({ name: state.id, box: state })),
      ...chart.edges.flatMap((edge) => (edge.label ? [{ name: `${edge.from}→${edge.to}`, box: edge.label }] : [])),
    ];
    const crossing = boxes.flatMap((a, i) => boxes.slice(i + 1).flatMap((b) => (overlap(a.box, b.box) ? [`${a.name} × ${b.name}`] : [])));
    expect(crossing).toEqual([]);
  });

  it('says "and n more" from the catalog when an edge carries more transitions than it shows, and gives a compound room for its title', async () => {
    const events = ['incident.retry', 'incident.resolve', 'incident.ignore', 'incident.escalate', 'alert.joined', 'alert.repeated'];
    const machine = createMachine({
      id: 'sample',
      initial: 'open',
      states: {
        open: { initial: 'triaging', states: { triaging: { on: Object.fromEntries(events.map((type) => [type, '#sample.escalated'])) } } },
        escalated: {},
      },
    });
    const sample = await elkStatechart(machine);
    const edge = sample.edges.find((e) => e.from === 'open.triaging');
    expect(edge?.lines.en.map((lines) => lines.join(' '))).toEqual(['Retry requested', 'Marked resolved', 'Ignored', 'and 3 more']);
    expect(edge?.lines['zh-CN'].at(-1)).toEqual(['另有 3 条']);
    expect(edge?.transitions.map((step) => step.event)).toEqual(events);
    const open = sample.states.find((state) => state.id === 'open');
    expect(open?.width).toBeGreaterThanOrEqual(textWidth('Triage, diagnosis and approval', STATE_FONT) + 24);
  });
});

describe('lines of words', () => {
  it('breaks English between words and Chinese between characters, a closing mark kept with the character before it', () => {
    expect(wrap('Waiting for someone to approve the fix', 100, LABEL_FONT)).toEqual(['Waiting for', 'someone to', 'approve the fix']);
    expect(wrap('已转交人工处理，告警均已恢复', 8 * 11.6, LABEL_FONT)).toEqual(['已转交人工处理，', '告警均已恢复']);
    expect(wrap('正在转交ai-fixer人工处理', 5 * 11.6, LABEL_FONT)).toEqual(['正在转交', 'ai-fixer', '人工处理']);
    expect(wrap('averyveryverylongword', 20, LABEL_FONT)).toEqual(['averyveryverylongword']);
  });

  it('evens out lines: no last word alone under a long line', () => {
    expect(wrap('Checking whether the alert is a new problem', 200, STATE_FONT)).toEqual(['Checking whether the', 'alert is a new problem']);
    expect(wrap('Looking for the root cause', 200, STATE_FONT)).toEqual(['Looking for the root', 'cause']);
    expect(wrapEvenly('Looking for the root cause', 200, STATE_FONT)).toEqual(['Looking for', 'the root cause']);
    expect(wrapEvenly('Reminding the on-call to approve the fix', 180, STATE_FONT)).toEqual(['Reminding the on-call', 'to approve the fix']);
    expect(wrapEvenly('Resolved', 180, STATE_FONT)).toEqual(['Resolved']);
  });
});

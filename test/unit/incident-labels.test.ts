import { describe, expect, it } from 'vitest';
import {
  CARD_LABELS,
  DECISION_LABELS,
  eventLabel,
  fillLabel,
  hasEventLabel,
  LABEL_LANGUAGES,
  PHASE_LABELS,
  STATE_GROUP_LABELS,
} from '../../machines/incident.labels';
import type { Label } from '../../machines/incident.labels';
import { INCIDENT_PHASES, phaseLabel, phaseOf } from '../../machines/incident.view';
import { chartEventTypes, chartLeafNodes, chartStateNodes, pathOf } from '../support/chart-walk';

const HAN = /\p{Script=Han}/u;
/** What a person must never read: a state path, an `xstate.*` name, a dotted event type. */
const INTERNAL = /xstate|\b(open|remediating)\.[a-z]|\b(diagnosis|proposal|incident|alert)\.[a-z]/;

function problemsOf(where: string, label: Label | undefined): string[] {
  if (!label) return [`${where}: no label`];
  return LABEL_LANGUAGES.flatMap((language) => {
    const text = label[language];
    if (!text?.trim()) return [`${where}: no ${language} label`];
    if (INTERNAL.test(text)) return [`${where}: ${language} label names an internal name: ${text}`];
    if (language === 'zh-CN' && !HAN.test(text)) return [`${where}: the zh-CN label is not Chinese: ${text}`];
    return [];
  });
}

describe('labels of the incident chart', () => {
  it('has a label in English and Chinese for every state an incident can be in', () => {
    const problems = chartLeafNodes().flatMap((node) => problemsOf(pathOf(node), phaseLabel(phaseOf(pathOf(node)))));
    expect(problems).toEqual([]);
  });

  it('names every compound state (the groups the console’s statechart draws) in English and Chinese', () => {
    const compounds = chartStateNodes().filter((node) => node.type === 'compound').map(pathOf);
    expect(compounds).toEqual(['open', 'remediating']);
    expect(compounds.flatMap((path) => problemsOf(path, STATE_GROUP_LABELS[path]))).toEqual([]);
  });

  it('has a label in both languages for every phase, and no two phases read alike', () => {
    expect(INCIDENT_PHASES.flatMap((phase) => problemsOf(phase, PHASE_LABELS[phase]))).toEqual([]);
    for (const language of LABEL_LANGUAGES) {
      const texts = INCIDENT_PHASES.map((phase) => PHASE_LABELS[phase][language]);
      expect(new Set(texts).size, language).toBe(texts.length);
    }
  });

  it('has a label in both languages for every event of the chart, the internal done/error/init events included', () => {
    const types = chartEventTypes();
    expect(types).toContain('xstate.done.actor.diagnose');
    expect(types).toContain('xstate.error.actor.reopenWindowTimer');
    expect(types).toContain('proposal.approved');
    expect(types.filter((type) => !hasEventLabel(type))).toEqual([]);
    expect(types.flatMap((type) => problemsOf(type, eventLabel(type)))).toEqual([]);
    expect(problemsOf('alert.received', eventLabel('alert.received'))).toEqual([]);
  });

  it('says plainly what a step’s done and error events mean', () => {
    expect(eventLabel('xstate.done.actor.diagnose')).toEqual({ en: 'Diagnosis finished', 'zh-CN': '诊断完成' });
    expect(eventLabel('xstate.error.actor.diagnose').en).toBe('Diagnosis failed');
    expect(hasEventLabel('xstate.done.actor.noSuchStep')).toBe(false);
    expect(hasEventLabel('constructor')).toBe(false);
  });

  it('labels decisions with who made them, as ICU-style placeholders in both languages', () => {
    for (const [type, labels] of Object.entries(DECISION_LABELS)) {
      expect(problemsOf(type, labels.done)).toEqual([]);
      for (const language of LABEL_LANGUAGES) expect(labels.by[language], `${type} ${language}`).toContain('{who}');
    }
    expect(fillLabel(DECISION_LABELS['proposal.approved'].by.en, { who: 'Alice' })).toBe('Fix approved by Alice');
    expect(fillLabel(DECISION_LABELS['proposal.approved'].by['zh-CN'], { who: '张三' })).toBe('张三 批准了修复方案');
    expect(fillLabel('{missing} stays', {})).toBe('{missing} stays');
  });

  it('calls the proposal "the fix", as people do', () => {
    expect(CARD_LABELS.proposal.en).toBe('fix');
    expect(problemsOf('diagnosis card', CARD_LABELS.diagnosis)).toEqual([]);
  });
});

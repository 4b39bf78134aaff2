import { count, ms } from './report';
import type { Figure } from './report';
import type { StormResult } from './scenarios/storm';

const seconds = (x: number) => `${(x / 1000).toFixed(1)} s`;

/** The storm targets: one incident per group, one diagnosis each, a quiet chat, recoveries with nobody asked. */
export function stormFigures(s: StormResult): Figure[] {
  const storm = `storm (${count(s.alerts)} alerts, ${s.groups} groups)`;
  return [
    {
      figure: `${storm}: posted / acknowledged p50 / p99`,
      value: `within ${seconds(s.postedWithinMs)} / ${ms(s.acknowledge.p50)} / ${ms(s.acknowledge.p99)}`,
      baseline: '',
      target: '',
    },
    {
      figure: `${storm}: incidents (duplicates)`,
      value: `${s.incidents} (${s.duplicateIncidents})`,
      baseline: '',
      target: `= ${s.groups} (0)`,
      pass: s.incidents === s.groups && s.duplicateIncidents === 0,
    },
    {
      figure: `${storm}: model calls / diagnoses (+ summaries)`,
      value: `${s.modelCalls} / ${s.diagnoses} (+ ${s.summaryCalls})`,
      baseline: '',
      target: `= ${s.groups}`,
      pass: s.modelCalls === s.groups && s.diagnoses === s.groups,
    },
    {
      figure: `${storm}: top-level chat messages`,
      value: `${s.topLevelMessages} (${s.stormCards} storm card, ${s.inStormThread} in its thread)`,
      baseline: '',
      target: `≤ ${s.groups + 1}`,
      pass: s.topLevelMessages <= s.groups + 1 && s.stormCards <= 1,
    },
    {
      figure: `${storm}: resolved groups ended at source`,
      value: `${s.recoveredAtSource} of ${s.resolvedGroups}, ${s.personActions} person actions; ${s.waitingForPeople} others wait for people`,
      baseline: '',
      target: `= ${s.resolvedGroups}, 0`,
      pass: s.recoveredAtSource === s.resolvedGroups && s.personActions === 0,
    },
    {
      figure: `${storm}: chat quiet after`,
      value: `${seconds(s.quietAfterFirstAlertMs)} from the first alert, ${seconds(s.quietAfterResolvedMs)} from the resolved notices`,
      baseline: '',
      target: '',
    },
  ];
}

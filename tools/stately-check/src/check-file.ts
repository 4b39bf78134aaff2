/**
 * One machine file through the round trip: the chart as it runs (the module's exported machines, loaded
 * with the app's xstate v5) against what the editor imports from its source and exports back.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { chartFacts, type Fact } from './chart-facts';
import { referenceFindings, roundTripFindings, type Implementations } from './compare';
import { importAndExport } from './editor-import';
import { error, type Finding } from './findings';

interface RunningMachine { id: string; config: Record<string, unknown>; implementations: Implementations }

export interface MachineReport {
  id: string;
  counts: Record<'states' | 'transitions' | 'actions' | 'guards' | 'actors', number>;
  findings: Finding[];
}
export interface FileReport { file: string; machines: MachineReport[]; findings: Finding[] }

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';
const isMachine = (value: unknown): value is RunningMachine =>
  isObject(value) && typeof value.id === 'string' && isObject(value.config) && isObject(value.implementations) && isObject(value.root);

async function runningMachines(file: string): Promise<RunningMachine[]> {
  const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return [...new Set(Object.values(exports).filter(isMachine))];
}

function counts(facts: Fact[]): MachineReport['counts'] {
  const count = (kind: Fact['kind']) => facts.filter((fact) => fact.kind === kind).length;
  return { states: count('state'), transitions: count('transition'), actions: count('action'), guards: count('guard'), actors: count('actor') };
}

export async function checkMachineFile(file: string): Promise<FileReport> {
  const report: FileReport = { file, machines: [], findings: [] };
  const imported = importAndExport(await readFile(file, 'utf8'));
  const running = await runningMachines(file);
  if (imported.length === 0) report.findings.push(error(file, 'the extractor finds no createMachine() call: the editor would import nothing'));

  const unmatched = new Set(running);
  imported.forEach((config, index) => {
    const label = `createMachine call #${index + 1}`;
    if (!config) { report.findings.push(error(label, 'the extractor cannot read this call: the editor would import nothing of it')); return; }
    const machine = [...unmatched].find((m) => m.id === (config.id ?? '(machine)')) ?? (imported.length === 1 && running.length === 1 ? running[0] : undefined);
    if (!machine) { report.findings.push(error(label, `no exported machine with id '${String(config.id)}': export it so the check can compare`)); return; }
    unmatched.delete(machine);
    const chart = chartFacts(machine.config);
    report.machines.push({
      id: machine.id,
      counts: counts(chart),
      findings: [...roundTripFindings(chart, chartFacts(config)), ...referenceFindings(chart, machine.implementations)],
    });
  });
  for (const machine of unmatched) report.findings.push(error(machine.id, 'exported machine the extractor does not see: the editor would not import it'));
  return report;
}

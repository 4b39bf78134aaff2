/** Compares the chart as written with the chart after the editor's import and export. */
import type { Fact, FactKind, RefKind } from './chart-facts';
import { error, warning, type Finding } from './findings';

/** Losses the reference tool calls expected: the editor keeps these, only the public extractor drops them. */
const EXPECTED_LOSS: Partial<Record<FactKind, string>> = {
  input: 'invoke input: the public extractor drops it; the editor keeps it',
  reenter: 'reenter: the public extractor drops it; the editor has a re-enter toggle',
  meta: 'meta other than description: the public extractor drops it; the editor exports meta only on request',
};

const key = (fact: Fact) => `${fact.kind} ${fact.at}`;

export function roundTripFindings(chart: Fact[], exported: Fact[]): Finding[] {
  const findings: Finding[] = [];
  const before = new Map(chart.map((fact) => [key(fact), fact]));
  const after = new Map(exported.map((fact) => [key(fact), fact]));

  for (const fact of exported) {
    if (!fact.code) continue;
    if (fact.code.builtin && !fact.code.hasCode)
      findings.push(warning(fact.at, `inline built-in ${fact.kind} (${fact.value}): the editor shows it as a block, but it is code, not a named reference`));
    else if (fact.kind === 'context') findings.push(error(fact.at, 'context is code: the editor keeps it only as plain data'));
    else findings.push(error(fact.at, `inline ${fact.kind} where the editor needs a name: ${fact.value}`));
  }
  for (const fact of chart) {
    const imported = after.get(key(fact));
    const expected = EXPECTED_LOSS[fact.kind];
    if (!imported) {
      if (!expected) findings.push(error(fact.at, `${fact.kind} lost in the editor: ${fact.value}`));
      else if (fact.code) findings.push(error(fact.at, `${fact.kind} is code: the editor keeps it only as plain data`));
      else findings.push(warning(fact.at, `lost: ${expected}`, true));
    } else if (!imported.code && imported.value !== fact.value) { // code on the editor's side is reported above
      findings.push(error(fact.at, `${fact.kind} changed in the editor: ${fact.value} → ${imported.value}`));
    }
  }
  for (const fact of exported) {
    if (!before.has(key(fact))) findings.push(error(fact.at, `${fact.kind} appears only after the editor's import: ${fact.value}`));
  }
  return findings;
}

export type Implementations = Partial<Record<'actions' | 'guards' | 'actors' | 'delays', Record<string, unknown>>>;
const TABLE: Record<RefKind, keyof Implementations> = { action: 'actions', guard: 'guards', actor: 'actors', delay: 'delays' };

/** Named references need an implementation (the editor exports names only); unused ones are dropped on export. */
export function referenceFindings(chart: Fact[], implementations: Implementations): Finding[] {
  const findings: Finding[] = [];
  const used = new Set<string>();
  for (const { at, ref } of chart) {
    if (!ref) continue;
    const table = TABLE[ref.kind];
    if (ref.kind === 'delay') findings.push(warning(at, `named delay '${ref.name}': the editor keeps no delay implementations (it stays in setup)`, true));
    if (used.has(`${table}.${ref.name}`)) continue;
    used.add(`${table}.${ref.name}`);
    if (!Object.hasOwn(implementations[table] ?? {}, ref.name))
      findings.push(error(at, `${ref.kind} '${ref.name}' is referenced but not implemented in setup({ ${table} })`));
  }
  for (const table of Object.values(TABLE)) {
    for (const name of Object.keys(implementations[table] ?? {})) {
      if (!used.has(`${table}.${name}`))
        findings.push(warning(`setup.${table}.${name}`, 'implemented but never referenced by the chart: the editor\'s export omits it'));
    }
  }
  return findings;
}

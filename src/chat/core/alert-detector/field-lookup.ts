import { ROLE_KEYS, matchesByPattern, type FieldRole } from './field-roles';
import type { Field, ParsedBlock } from './key-values';
import type { Labels } from './label-sets';
import { isShown } from './limits';

export interface Candidate {
  readonly value: string;
  readonly zoneHint?: string;
  readonly from: 'field' | 'label' | 'preamble';
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Values for a role, best first: for each key in the role's priority order, the record's own
 * field, then a label of that name; then the fields shared by a grouped message's records.
 */
export class FieldLookup {
  private readonly labelsByKey = new Map<string, string>();

  constructor(
    private readonly record: ParsedBlock,
    private readonly preamble: ParsedBlock,
    labels: Labels,
  ) {
    for (const [key, value] of Object.entries(labels)) if (!this.labelsByKey.has(normalise(key))) this.labelsByKey.set(normalise(key), value);
  }

  *candidates(role: FieldRole, sources: readonly Candidate['from'][] = ['field', 'label', 'preamble']): Generator<Candidate> {
    for (const key of ROLE_KEYS[role]) {
      if (sources.includes('field')) yield* shown(this.record.fields, key, 'field');
      const label = this.labelsByKey.get(key);
      if (sources.includes('label') && isShown(label)) yield { value: label, from: 'label' };
    }
    if (sources.includes('field')) {
      for (const field of this.record.fields) {
        if (matchesByPattern(field.normKey, role) && isShown(field.value)) yield candidateOf(field, 'field');
      }
    }
    if (!sources.includes('preamble')) return;
    for (const key of ROLE_KEYS[role]) yield* shown(this.preamble.fields, key, 'preamble');
  }

  first(role: FieldRole, sources?: readonly Candidate['from'][]): Candidate | undefined {
    for (const candidate of this.candidates(role, sources)) return candidate;
    return undefined;
  }

  /** The first candidate the reader accepts, with what it made of it. */
  read<T>(role: FieldRole, reader: (candidate: Candidate) => T | undefined, sources?: readonly Candidate['from'][]): T | undefined {
    for (const candidate of this.candidates(role, sources)) {
      const result = reader(candidate);
      if (result !== undefined) return result;
    }
    return undefined;
  }
}

function* shown(fields: readonly Field[], key: string, from: Candidate['from']): Generator<Candidate> {
  for (const field of fields) if (field.normKey === key && isShown(field.value)) yield candidateOf(field, from);
}

function candidateOf(field: Field, from: Candidate['from']): Candidate {
  return { value: field.value, from, ...(field.zoneHint ? { zoneHint: field.zoneHint } : {}) };
}

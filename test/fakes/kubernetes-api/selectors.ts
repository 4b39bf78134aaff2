import { badRequest } from './status';

/** Label and field selectors, parsed with the API server's grammar and errors. */

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'absent' };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const KEY = /^([a-z0-9A-Z][-a-z0-9A-Z_.]*\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas outside `( … )`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

function parseRequirement(text: string): Requirement {
  const fail = (): never => {
    throw badRequest(`unable to parse requirement: found '${text}', expected: key, !key, key=value, key!=value, key in (…), key notin (…)`);
  };
  const check = (key: string, values: string[]): void => {
    if (!KEY.test(key) || values.some((value) => !VALUE.test(value))) fail();
  };
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = list.split(',').map((value) => value.trim());
    check(key, values);
    return { key, op: op === 'in' ? 'in' : 'notin', values };
  }
  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (equality) {
    const [, key = '', op, value = ''] = equality;
    check(key, [value]);
    return { key, op: op === '!=' ? 'notin' : 'in', values: [value] };
  }
  if (text.startsWith('!')) {
    check(text.slice(1), []);
    return { key: text.slice(1), op: 'absent' };
  }
  check(text, []);
  return { key: text, op: 'exists' };
}

function matches(requirement: Requirement, labels: Record<string, string>): boolean {
  const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
  switch (requirement.op) {
    case 'exists':
      return value !== undefined;
    case 'absent':
      return value === undefined;
    case 'in':
      return value !== undefined && requirement.values.includes(value);
    case 'notin':
      return value === undefined || !requirement.values.includes(value);
  }
}

export function parseLabelSelector(selector: string | null): LabelMatcher {
  const requirements = splitTopLevel(selector ?? '').map(parseRequirement);
  return (labels) => requirements.every((requirement) => matches(requirement, labels ?? {}));
}

export type FieldMatcher = (fields: Record<string, string | undefined>) => boolean;

/** `supported` lists the field labels this kind can be selected by; others are a 400, as on a real server. */
export function parseFieldSelector(selector: string | null, supported: readonly string[]): FieldMatcher {
  const terms = splitTopLevel(selector ?? '').map((term) => {
    const parsed = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!parsed) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
    const [, field = '', op, value = ''] = parsed;
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, negate: op === '!=', value };
  });
  return (fields) => terms.every(({ field, negate, value }) => ((fields[field] ?? '') === value) !== negate);
}

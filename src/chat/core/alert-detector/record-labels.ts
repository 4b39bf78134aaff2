import { hasRole, labelNameFor, labelValueFor, rolesOf } from './field-roles';
import type { ParsedBlock } from './key-values';
import { kubernetesLabels } from './k8s-references';
import { barePairs, labelSetsIn, type Labels } from './label-sets';
import { LIMITS, cap, isShown } from './limits';
import { statusOfKey } from './status';

export interface RecordLabels {
  readonly labels: Labels;
  /** Labels the message states (label sets, fields, captures), not ones guessed from prose. */
  readonly stated: Labels;
  /** Whether the record carried a label set (text or silence link): strong sign of an alert. */
  readonly hadLabelSet: boolean;
}

class LabelBag {
  readonly labels: Labels = {};

  fill(key: string, value: string | undefined): void {
    if (!key || !isShown(value) || key in this.labels || Object.keys(this.labels).length >= LIMITS.labels) return;
    this.labels[cap(key, LIMITS.labelKey)] = cap(value.trim(), LIMITS.labelValue);
  }

  fillAll(labels: Labels): void {
    for (const [key, value] of Object.entries(labels)) this.fill(key, value);
  }
}

/** Roles whose values are prose or whole label sets, not a label value. */
const NOT_LABELS = ['description', 'labelSet', 'errorMessage'] as const;

/**
 * A record's labels, most trustworthy first: label sets written in it, silence links that agree with
 * it, captured named groups, `key: value` fields, then Kubernetes objects named in its prose.
 */
export function recordLabels(
  record: ParsedBlock,
  preamble: ParsedBlock,
  linkLabelSets: readonly Labels[],
  captured: Labels,
): RecordLabels {
  const bag = new LabelBag();
  for (const field of record.fields) {
    if (!hasRole(field.normKey, 'labelSet')) continue;
    const sets = labelSetsIn(field.value);
    for (const set of sets.length > 0 ? sets : [barePairs(field.value)]) bag.fillAll(set);
  }
  for (const line of record.freeLines) {
    const sets = labelSetsIn(line);
    for (const set of sets.length > 0 ? sets : [barePairs(line)]) bag.fillAll(set);
  }
  for (const set of linkLabelSets) if (agreesWith(set, record)) bag.fillAll(set);
  const hadLabelSet = Object.keys(bag.labels).length > 0;
  bag.fillAll(captured);
  for (const field of [...record.fields, ...preamble.fields]) {
    if (NOT_LABELS.some((role) => hasRole(field.normKey, role)) || statusOfKey(field.key)) continue;
    const name = labelNameFor(field.key, field.normKey);
    if (name) bag.fill(name, labelValueFor(name, field.value));
  }
  const stated = { ...bag.labels };
  bag.fillAll(kubernetesLabels(record.lines.join('\n')));
  return { labels: bag.labels, stated, hadLabelSet };
}

/** A silence link belongs to a record unless it names another alert or another instance. */
function agreesWith(set: Labels, record: ParsedBlock): boolean {
  const shownValues = (role: 'title' | 'instance') =>
    record.fields.filter((field) => rolesOf(field.normKey).includes(role) && isShown(field.value)).map((field) => field.value);
  const titles = shownValues('title');
  if (set.alertname && titles.length > 0 && !titles.includes(set.alertname)) return false;
  const instances = shownValues('instance');
  return !(set.instance && instances.length > 0 && !instances.includes(set.instance));
}

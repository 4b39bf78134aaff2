import { ENGLISH_UTC } from '../i18n';
import type { Localized, Translator } from '../i18n';
import type { policyMessages } from '../i18n/messages/policy';

/** Values a policy message takes: names, counts, and instants as epoch milliseconds (JSON-safe, kept in decisions). */
export type PolicyValues = Record<string, string | number>;

/**
 * What the policy says to a person, as a catalog message (src/i18n/messages/policy.ts) and its values, so each
 * reader gets it in their language and TIMEZONE. Kept structured in refusals and in decisions' reasons.
 */
export interface PolicyText {
  key: keyof typeof policyMessages;
  values?: PolicyValues;
  /** Alternatives (role names), written "a or b" / "a或b" in the reader's language. */
  anyOf?: Record<string, string[]>;
}

export const policySays = (key: PolicyText['key'], values?: PolicyValues, anyOf?: Record<string, string[]>): PolicyText => ({
  key,
  ...(values ? { values } : {}),
  ...(anyOf ? { anyOf } : {}),
});

/** A policy text in the reader's language. A plain string is a reason recorded before reasons were messages: shown as it is. */
export function policyText(tr: Translator, text: PolicyText | string): string {
  if (typeof text === 'string') return text;
  const or = new Intl.ListFormat(tr.language, { type: 'disjunction' });
  const lists = Object.fromEntries(Object.entries(text.anyOf ?? {}).map(([name, items]) => [name, or.format(items)]));
  return tr.t(text.key, { ...text.values, ...lists });
}

/** A quota's scope as decisions keep it: every service, or one (`service:checkout`); people read it through `quotaScope`. */
export const QUOTA_ALL = 'all';
export const QUOTA_SERVICE = 'service:';

/** A quota's scope in the reader's language; a scope written before in words reads as it was written. */
export function quotaScope(tr: Translator, scope: string): string {
  if (scope === QUOTA_ALL) return tr.t('policy.quota.all');
  return scope.startsWith(QUOTA_SERVICE) ? tr.t('policy.quota.service', { service: scope.slice(QUOTA_SERVICE.length) }) : scope;
}

/** Refusals carry no times, so any time zone renders them alike. */
const TIMELESS = ENGLISH_UTC;

/** A refusal in every language at once: a click's toast, the console's JSON (each reader picks theirs). */
export function refusalEverywhere(text: PolicyText | string): Localized<string> {
  return TIMELESS.both((tr) => policyText(tr, text));
}

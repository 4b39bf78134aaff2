import type { FlatLink } from './flat-message';

export type Labels = Record<string, string>;

const LABEL_KEY = String.raw`[A-Za-z_][\w.:-]{0,99}`;
/** `{k="v", …}`: Prometheus label sets and silence filters; only equality matchers are labels. */
const QUOTED_PAIR = new RegExp(String.raw`(${LABEL_KEY})\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.){0,2000})"`, 'g');
const BRACED = /\{([^{}]{1,4000})\}/g;
const BRACKETED = /\[([^[\]]{1,4000})\]/g;
const STARTS_WITH_PAIR = new RegExp(String.raw`^\s*${LABEL_KEY}=`);
/** Splits `a=b c=d e=has spaces` (Nightingale) or `a=b, c=d` (Java maps) before each `key=`. */
const BEFORE_SPACED_KEY = new RegExp(String.raw`\s+(?=${LABEL_KEY}=)`);
const BEFORE_COMMA_KEY = new RegExp(String.raw`\s*,\s*(?=${LABEL_KEY}=)`);
/** `k=v` as a word, or opening a parenthesis as in `HighErrorRate web-api (severity=critical)`. */
const BARE_PAIR = new RegExp(String.raw`(^|\s|\()(${LABEL_KEY})=("[^"\n]{0,2000}"|[^\s,;]+)`, 'g');

/** Label sets written in a line: `{k="v"}`, `{k=v, k=v}` or `[k=v k=v]`. */
export function labelSetsIn(text: string): Labels[] {
  const sets: Labels[] = [];
  for (const braced of text.matchAll(BRACED)) {
    const body = braced[1] ?? '';
    const quoted = quotedPairs(body);
    if (Object.keys(quoted).length > 0) sets.push(quoted);
    else if (STARTS_WITH_PAIR.test(body)) sets.push(splitPairs(body, BEFORE_COMMA_KEY));
  }
  for (const bracketed of text.matchAll(BRACKETED)) {
    const body = bracketed[1] ?? '';
    if (STARTS_WITH_PAIR.test(body)) sets.push(splitPairs(body, BEFORE_SPACED_KEY));
  }
  return sets.filter((set) => Object.keys(set).length > 0);
}

/** `key=value` words in free text (`service=checkout env=prod`); words inside URLs are skipped. */
export function barePairs(text: string): Labels {
  const labels: Labels = {};
  for (const match of text.matchAll(BARE_PAIR)) {
    const key = match[2] ?? '';
    const written = match[3] ?? '';
    // `(severity=critical)`: the parenthesis closes the pair, it is not part of the value.
    const value = (match[1] === '(' && written.endsWith(')') ? written.slice(0, -1) : written).replace(/^"|"$/g, '');
    if (key && value && !value.includes('://')) labels[key] = value;
  }
  return labels;
}

/**
 * The labels in a silence or mute link (`…/#/silences/new?filter={alertname="X",…}`). Other links
 * (graph queries) hold selectors, not the alert's labels, so they are not read.
 */
export function silenceLinkLabels(link: FlatLink): Labels | undefined {
  if (!/silence|filter=|mute|屏蔽|静默/i.test(`${link.href} ${link.text}`)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(link.href.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
  const labels: Labels = {};
  for (const braced of decoded.matchAll(BRACED)) Object.assign(labels, quotedPairs(braced[1] ?? ''));
  return Object.keys(labels).length > 0 ? labels : undefined;
}

function quotedPairs(body: string): Labels {
  const labels: Labels = {};
  for (const match of body.matchAll(QUOTED_PAIR)) {
    if (match[2] === '=') labels[match[1] ?? ''] = (match[3] ?? '').replace(/\\(.)/g, '$1');
  }
  delete labels[''];
  return labels;
}

function splitPairs(body: string, separator: RegExp): Labels {
  const labels: Labels = {};
  for (const pair of body.trim().split(separator)) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim().replace(/^"|"$/g, '');
    if (at > 0 && key && value) labels[key] = value;
  }
  return labels;
}

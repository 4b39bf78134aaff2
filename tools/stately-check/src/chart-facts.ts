/**
 * Flattens an XState v5 machine config into facts keyed by where they sit in the chart, so the chart as
 * written and the chart after the editor's import and export can be compared fact by fact. The same
 * walk reads both sides: the running machine's `config` and the extractor's config written back as v5.
 */
import { CodeRef, isExpressionString } from './code-ref';

export type FactKind =
  | 'state' | 'transition' | 'guard' | 'action' | 'actor' | 'description' | 'tags' | 'context' | 'key'
  // kept by the editor, dropped by the public extractor (the reference calls their loss expected)
  | 'input' | 'reenter' | 'meta';

export type RefKind = 'action' | 'guard' | 'actor' | 'delay';

export interface Fact {
  kind: FactKind;
  at: string;
  value: string;
  /** Code where the editor needs a name or data; `builtin`: an action creator the editor shows as a block. */
  code?: { builtin: boolean; hasCode: boolean };
  /** A named reference the machine's implementations must provide. */
  ref?: { kind: RefKind; name: string };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const short = (text: string) => { const flat = text.replace(/\s+/g, ' '); return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat; };

/** Types only (setup's `types`/`schemas`): not part of the chart the editor draws. */
const TYPING_KEYS = new Set(['types', 'schemas']);

/** Plain data as sorted JSON; functions and `{{code}}` strings mark it as code. */
function plain(value: unknown): { json: string; code: boolean } {
  let code = false;
  const sorted = (v: unknown): unknown => {
    if (typeof v === 'function' || v instanceof CodeRef || isExpressionString(v)) { code = true; return '{{code}}'; }
    if (Array.isArray(v)) return v.map(sorted);
    if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
    return v;
  };
  const json = JSON.stringify(sorted(value)) ?? 'undefined';
  return { json, code };
}

/** A reference as the editor shows it: a name with its params, or code. */
function reference(kind: 'action' | 'guard', at: string, value: unknown): Fact {
  if (value instanceof CodeRef) return { kind, at, value: `code ${short(value.text)}`, code: { builtin: value.kind === 'builtin', hasCode: value.hasCode } };
  if (typeof value === 'function') {
    const creator = (value as { type?: unknown }).type;
    const builtin = typeof creator === 'string' && creator.startsWith('xstate.');
    return { kind, at, value: `code ${builtin ? String(creator) : value.name || 'function'}`, code: { builtin, hasCode: true } };
  }
  const named = typeof value === 'string' ? { type: value, params: undefined } : isObject(value) ? value : undefined;
  const onlyNameAndParams = named && typeof named.type === 'string' && Object.keys(named).every((k) => k === 'type' || k === 'params');
  if (!named || !onlyNameAndParams) return { kind, at, value: `code ${short(plain(value).json)}`, code: { builtin: false, hasCode: true } };
  const name = named.type as string;
  const params = isObject(named.params) && Object.keys(named.params).length ? plain(named.params).json : '';
  return { kind, at, value: name + params, ref: { kind, name } };
}

function actorSource(at: string, src: unknown, id: unknown): Fact {
  const idText = typeof id === 'string' ? ` id=${id}` : '';
  if (typeof src === 'string') return { kind: 'actor', at, value: src + idText, ref: { kind: 'actor', name: src } };
  const text = src instanceof CodeRef ? src.text : 'actor logic';
  return { kind: 'actor', at, value: `code ${short(text)}${idText}`, code: { builtin: false, hasCode: true } };
}

export function chartFacts(config: Json): Fact[] {
  const facts: Fact[] = [];
  const other = (kind: FactKind, at: string, value: unknown) => {
    const { json, code } = plain(value);
    facts.push({ kind, at, value: json, ...(code ? { code: { builtin: false, hasCode: true } } : {}) });
  };

  /** One fact per leaf, so a lost key names itself instead of two whole contexts. */
  function context(at: string, value: unknown) {
    if (isObject(value) && !(value instanceof CodeRef) && Object.keys(value).length) {
      for (const [key, v] of Object.entries(value)) context(`${at}.${key}`, v);
    } else other('context', at, value);
  }

  function transitions(path: string, slot: string, value: unknown, delay?: string) {
    asList(value).forEach((transition, i) => {
      const at = `${path} ${slot}[${i}]`;
      const spec: Json = isObject(transition) ? transition : { target: transition };
      const targets = asList(spec.target).map(String).join(', ') || '(no target)';
      facts.push({ kind: 'transition', at, value: targets, ...(delay ? { ref: { kind: 'delay' as const, name: delay } } : {}) });
      for (const [key, v] of Object.entries(spec)) {
        if (key === 'target' || v === undefined) continue;
        if (key === 'guard') facts.push(reference('guard', `${at} guard`, v));
        else if (key === 'actions') asList(v).forEach((action, j) => facts.push(reference('action', `${at} action[${j}]`, action)));
        else if (key === 'description') other('description', `${at} description`, v);
        else if (key === 'reenter') { if (v === true) other('reenter', `${at} reenter`, v); }
        else other('key', `${at} ${key}`, v);
      }
    });
  }

  function invokes(path: string, value: unknown) {
    asList(value).forEach((invoke, i) => {
      const at = `${path} invoke[${i}]`;
      if (!isObject(invoke)) { facts.push(actorSource(at, invoke, undefined)); return; }
      facts.push(actorSource(at, invoke.src, invoke.id));
      for (const [key, v] of Object.entries(invoke)) {
        if (key === 'src' || key === 'id' || v === undefined) continue;
        if (key === 'onDone' || key === 'onError' || key === 'onSnapshot') transitions(path, `invoke[${i}] ${key}`, v);
        else if (key === 'input') other('input', `${at} input`, v);
        else other('key', `${at} ${key}`, v);
      }
    });
  }

  function state(path: string, node: Json, isRoot: boolean) {
    const children = isObject(node.states) ? node.states : {};
    const type = typeof node.type === 'string' ? node.type : Object.keys(children).length ? 'compound' : 'atomic';
    facts.push({ kind: 'state', at: path, value: type + (typeof node.initial === 'string' ? ` initial=${node.initial}` : '') });
    for (const [key, value] of Object.entries(node)) {
      if (value === undefined || key === 'type' || key === 'initial' || key === 'states') continue;
      if (isRoot && TYPING_KEYS.has(key)) continue;
      switch (key) {
        case 'entry': case 'exit': asList(value).forEach((a, j) => facts.push(reference('action', `${path} ${key}[${j}]`, a))); break;
        case 'on': if (isObject(value)) for (const [event, list] of Object.entries(value)) transitions(path, `on ${event}`, list); else other('key', `${path} on`, value); break;
        case 'after':
          if (isObject(value)) for (const [delay, list] of Object.entries(value)) transitions(path, `after ${delay}`, list, /^\d+$/.test(delay) ? undefined : delay);
          else other('key', `${path} after`, value);
          break;
        case 'always': case 'onDone': transitions(path, key, value); break;
        case 'invoke': invokes(path, value); break;
        case 'description': other('description', `${path} description`, value); break;
        case 'tags': other('tags', `${path} tags`, asList(value).map(String).sort()); break;
        case 'meta': if (isObject(value)) for (const [k, v] of Object.entries(value)) other('meta', `${path} meta.${k}`, v); else other('meta', `${path} meta`, value); break;
        case 'context': if (isRoot) context(`${path} context`, value); else other('key', `${path} ${key}`, value); break;
        default: other('key', `${path} ${key}`, value);
      }
    }
    for (const [name, child] of Object.entries(children)) {
      if (isObject(child)) state(`${path}.${name}`, child, false);
      else other('key', `${path}.${name}`, child);
    }
  }

  state('(machine)', config, true);
  return facts;
}

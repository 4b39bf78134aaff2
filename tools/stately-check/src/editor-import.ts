/**
 * The editor's side of the round trip: Stately's open-source extractor (the code import behind the editor
 * and its VS Code extension) reads the file, and its config is written back as an XState v5 config, the
 * way the editor's export writes it: `cond` becomes `guard`, named references become `{ type, params }`,
 * code becomes a CodeRef.
 */
import { createRequire } from 'node:module';
import { CodeRef, containsExpression } from './code-ref';

type Json = Record<string, unknown>;
interface ExtractedMachine { toConfig(): Json | undefined }
interface Extractor { extractMachinesFromFile(source: string): { machines: (ExtractedMachine | undefined)[] } | undefined }

const require = createRequire(import.meta.url);
// Resolved from this folder's node_modules: the extractor and the xstate v4 it needs, apart from the app's v5.
const extractor = require('@xstate/machine-extractor') as Extractor;
export const extractorVersion = (require('@xstate/machine-extractor/package.json') as { version: string }).version;

/** One config per createMachine call in the file; undefined where the extractor could not read the call. */
export function importAndExport(source: string): (Json | undefined)[] {
  const result = extractor.extractMachinesFromFile(source);
  return (result?.machines ?? []).map((machine) => {
    const config = machine?.toConfig();
    return config ? exportState(config) : undefined;
  });
}

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const oneOrMany = (items: unknown[]): unknown => (items.length === 1 ? items[0] : items);

function exportAction(action: unknown): unknown {
  if (!isObject(action) || !isObject(action.action)) return action;
  const body = action.action;
  if (action.kind === 'named') return { type: body.type, params: body.params };
  if (action.kind === 'builtin') return new CodeRef('builtin', JSON.stringify(body), containsExpression(body));
  return new CodeRef('inline', String(body.expr), true);
}

function exportGuard(guard: unknown): unknown {
  if (!isObject(guard)) return guard;
  if (guard.kind === 'named') return { type: guard.type, params: guard.params };
  return new CodeRef('inline', String(guard.type), true);
}

function exportTransition(transition: unknown): unknown {
  if (!isObject(transition)) return transition;
  const exported: Json = {};
  for (const [key, value] of Object.entries(transition)) {
    if (key === 'cond') exported.guard = exportGuard(value);
    else if (key === 'actions') exported.actions = oneOrMany(asList(value).map(exportAction));
    else if (key === 'internal') exported.reenter = value === false;
    else exported[key] = value;
  }
  return exported;
}

const exportTransitions = (value: unknown): unknown => oneOrMany(asList(value).map(exportTransition));

function exportTransitionMap(map: unknown): unknown {
  if (!isObject(map)) return map;
  return Object.fromEntries(Object.entries(map).map(([event, transitions]) => [event, exportTransitions(transitions)]));
}

function exportInvoke(invoke: unknown): unknown {
  if (!isObject(invoke)) return invoke;
  const { kind, src, onDone, onError, ...rest } = invoke;
  const exported: Json = { ...rest, src: kind === 'named' ? src : new CodeRef('inline', String(src), true) };
  if (onDone !== undefined) exported.onDone = exportTransitions(onDone);
  if (onError !== undefined) exported.onError = exportTransitions(onError);
  return exported;
}

function exportState(state: Json): Json {
  const exported: Json = {};
  for (const [key, value] of Object.entries(state)) {
    switch (key) {
      case 'entry': case 'exit': exported[key] = oneOrMany(asList(value).map(exportAction)); break;
      case 'onEntry': exported.entry = oneOrMany(asList(value).map(exportAction)); break;
      case 'onExit': exported.exit = oneOrMany(asList(value).map(exportAction)); break;
      case 'on': case 'after': exported[key] = exportTransitionMap(value); break;
      case 'always': case 'onDone': exported[key] = exportTransitions(value); break;
      case 'invoke': exported.invoke = oneOrMany(asList(value).map(exportInvoke)); break;
      case 'states':
        exported.states = isObject(value)
          ? Object.fromEntries(Object.entries(value).map(([name, child]) => [name, isObject(child) ? exportState(child) : child]))
          : value;
        break;
      default: exported[key] = value;
    }
  }
  return exported;
}

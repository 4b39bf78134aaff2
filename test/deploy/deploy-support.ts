import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { parseAllDocuments } from 'yaml';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { startFakeLark } from '../fakes/lark';
import { createTestDatabase } from '../support/database';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every variable named in the first column of the README's configuration table. */
export function readmeVariables(): string[] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Targets'));
  const names: string[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const match of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.push(match[1]!);
  }
  if (names.length < 40) throw new Error(`only ${names.length} variables found in the README's configuration table: has its layout changed?`);
  return names;
}

/** Credentials: they must come from a Secret, never from a ConfigMap. */
export const CREDENTIALS = [
  'DATABASE_URL',
  'REDIS_URL',
  'CONSOLE_TOKEN',
  'METRICS_TOKEN',
  'LARK_APP_SECRET',
  'LARK_ENCRYPT_KEY',
  'LARK_VERIFICATION_TOKEN',
  'API_KEYS',
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'EMBEDDINGS_API_KEY',
  'ENCRYPTION_KEY',
  'ENCRYPTION_OLD_KEYS',
];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `kubectl kustomize <dir>`, parsed: what `kubectl apply -k` would send. */
export function renderKustomize(dir: string): K8sObject[] {
  let text: string;
  try {
    text = execFileSync('kubectl', ['kustomize', `${ROOT}${dir}`], { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('kubectl is not installed: the Kubernetes manifests are rendered with `kubectl kustomize` (kubectl 1.27 or later).');
    throw error;
  }
  return parseAllDocuments(text).map((doc) => doc.toJS() as K8sObject).filter((o) => o !== null);
}

export function find<T = K8sObject>(objects: K8sObject[], kind: string, name?: string): T {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} rendered`);
  return found as T;
}

/** The metric families the bot registers, and the series names each exposes (histograms: _bucket, _sum, _count). */
export interface ExportedSeries {
  families: Set<string>;
  series: Set<string>;
}

const SERIES_SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

/**
 * Starts the real bot with everything that adds metrics switched on (Lark through the fake, a model
 * provider) and reads its own registry: what its /metrics can ever show, observed or not yet.
 */
export async function exportedSeries(): Promise<ExportedSeries> {
  const lark = await startFakeLark();
  const db = await createTestDatabase('aifixer_series');
  try {
    const config = loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      LARK_APP_ID: lark.appId,
      LARK_APP_SECRET: lark.appSecret,
      LARK_DOMAIN: lark.url,
      ANTHROPIC_API_KEY: 'sk-ant-unused',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    const app = await startApp(config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
    try {
      const metrics = await app.metrics.registry.getMetricsAsJSON();
      const families = new Set(metrics.map((m) => m.name));
      const series = new Set(metrics.flatMap((m) => (SERIES_SUFFIXES[String(m.type)] ?? ['']).map((suffix) => `${m.name}${suffix}`)));
      return { families, series };
    } finally {
      await app.stop();
    }
  } finally {
    await lark.close();
    await db.drop();
  }
}

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * The series names a PromQL expression reads. Strings, label matchers `{…}`, ranges `[…]` and label
 * lists of by/without/on/ignoring/group_* are dropped first; what remains that is not a function call,
 * keyword or number is a series name. Our own files only: none of these patterns backtracks.
 */
export function seriesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\[[^[\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?/g)) {
    const [word, call] = [match[0].replace(/\s*\($/, ''), match[1]];
    if (call || PROMQL_KEYWORDS.has(word.toLowerCase()) || word.startsWith('$')) continue;
    names.add(word);
  }
  return [...names];
}

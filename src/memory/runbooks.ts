import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Logger } from 'pino';
import type { Embedder } from './embedder';
import type { KnowledgeStore } from './knowledge-store';
import { RunbookFrontMatterSchema, runbookEmbeddingText, runbookMetadata } from './runbook-schema';
import type { Runbook } from './runbook-schema';

export { fillPlaceholders, placeholdersOf } from './runbook-schema';
export type { RemediationStep, Runbook, RunbookStep, RunbookSteps, VerificationStep } from './runbook-schema';
export { matchRunbooks } from './runbook-match';
export type { RunbookMatch } from './runbook-match';

export interface BrokenRunbook {
  path: string;
  error: string;
}

export interface LoadedRunbooks {
  runbooks: Runbook[];
  /** Files that failed to parse or validate: reported, skipped, and their stored entries kept. */
  broken: BrokenRunbook[];
}

/** The result of parsing one file: a runbook, or why not (with the file and the field named). */
export type ParsedRunbook = { ok: true; runbook: Runbook } | { ok: false; error: string };

/** `---` front matter `---` at the very top; the rest is the body. */
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Parses one runbook file's text; `path` (relative to the folder) names it in errors and becomes its identity. */
export function parseRunbook(path: string, text: string): ParsedRunbook {
  const match = FRONT_MATTER.exec(text);
  let data: unknown = {};
  if (match) {
    try {
      data = parseYaml(match[1] ?? '') ?? {};
    } catch (error) {
      return { ok: false, error: `${path}: front matter is not valid YAML: ${messageOf(error)}` };
    }
  } else if (/^\uFEFF?---[ \t]*\r?\n/.test(text)) {
    return { ok: false, error: `${path}: front matter opened with --- is never closed` };
  }
  const parsed = RunbookFrontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${fieldOf(issue.path)}: ${issue.message}`);
    return { ok: false, error: `${path}: ${problems.join('; ')}` };
  }
  const body = match ? text.slice(match[0].length) : text.replace(/^\uFEFF/, '');
  const { title, labels, category, ...rest } = parsed.data;
  return {
    ok: true,
    runbook: {
      ...rest,
      path,
      title: title ?? headingOf(body) ?? path.replace(/\.md$/i, ''),
      labels: Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, Array.isArray(value) ? value : [value]])),
      ...(category !== undefined && { category }),
      body: body.trim(),
      hash: createHash('sha256').update(text).digest('hex'),
    },
  };
}

/**
 * Every `*.md` under `dir` (recursively; hidden, `_`-prefixed and README files are not runbooks).
 * One bad file never stops the rest. A missing folder is a configuration error and throws.
 */
export async function loadRunbooks(dir: string): Promise<LoadedRunbooks> {
  const isDirectory = await stat(dir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new Error(`Runbooks folder ${dir} does not exist or is not a directory`);
  const runbooks: Runbook[] = [];
  const broken: BrokenRunbook[] = [];
  for (const file of await listMarkdown(dir)) {
    const path = relative(dir, file).split(sep).join('/');
    const text = await readFile(file, 'utf8').catch((error: unknown) => error as Error);
    if (text instanceof Error) {
      broken.push({ path, error: `${path}: cannot read: ${text.message}` });
      continue;
    }
    const parsed = parseRunbook(path, text);
    if (parsed.ok) runbooks.push(parsed.runbook);
    else broken.push({ path, error: parsed.error });
  }
  return { runbooks, broken };
}

async function listMarkdown(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const path = join(dir, entry.name);
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).then((s) => s.isDirectory(), () => false)));
    if (isDirectory) files.push(...(await listMarkdown(path)));
    else if (/\.md$/i.test(entry.name) && !/^readme\.md$/i.test(entry.name)) files.push(path);
  }
  return files.sort();
}

function headingOf(body: string): string | undefined {
  return /^#\s+(.+?)\s*#*\s*$/m.exec(body)?.[1];
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(front matter)';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface RunbookSyncReport {
  added: string[];
  updated: string[];
  unchanged: number;
  deleted: string[];
  broken: BrokenRunbook[];
  /** Every runbook that loaded, for whoever follows them (the offline engine). */
  runbooks: Runbook[];
}

export interface RunbookSyncDeps {
  store: KnowledgeStore;
  embedder: Embedder;
  logger?: Logger;
  signal?: AbortSignal;
}

/**
 * Makes the runbook entries in knowledge match the folder: new and changed files are embedded (in one
 * batch) and upserted, unchanged ones (same file hash, same embedder) are left alone, entries whose file
 * is gone are deleted. A broken file's stored entry stays, so a bad edit does not make a runbook vanish.
 */
export async function syncRunbooks(dir: string, deps: RunbookSyncDeps): Promise<RunbookSyncReport> {
  const { runbooks, broken } = await loadRunbooks(dir);
  for (const { error } of broken) deps.logger?.error({ error }, 'runbook skipped: it is broken');
  const stamps = new Map((await deps.store.stamps('runbook')).map((stamp) => [stamp.sourceKey, stamp]));
  const stale = runbooks.filter((runbook) => {
    const stamp = stamps.get(runbookKey(runbook.path));
    return stamp?.contentHash !== runbook.hash || stamp.embedder !== deps.embedder.name;
  });
  const vectors = stale.length > 0 ? await deps.embedder.embed(stale.map(runbookEmbeddingText), deps.signal) : [];
  const report: RunbookSyncReport = { added: [], updated: [], unchanged: runbooks.length - stale.length, deleted: [], broken, runbooks };
  for (const [i, runbook] of stale.entries()) {
    const sourceKey = runbookKey(runbook.path);
    const entry = { kind: 'runbook' as const, sourceKey, title: runbook.title, content: runbook.body, metadata: runbookMetadata(runbook), contentHash: runbook.hash, embedder: deps.embedder.name };
    await deps.store.upsert(entry, vectors[i] ?? []);
    (stamps.has(sourceKey) ? report.updated : report.added).push(runbook.path);
  }
  const present = new Set([...runbooks, ...broken].map((file) => runbookKey(file.path)));
  const gone = [...stamps.keys()].filter((key) => !present.has(key));
  await deps.store.delete(gone);
  report.deleted = gone.map((key) => key.slice(RUNBOOK_KEY_PREFIX.length));
  deps.logger?.info({ added: report.added.length, updated: report.updated.length, unchanged: report.unchanged, deleted: report.deleted.length, broken: broken.length }, 'runbooks synced');
  return report;
}

const RUNBOOK_KEY_PREFIX = 'runbook:';
const runbookKey = (path: string): string => `${RUNBOOK_KEY_PREFIX}${path}`;

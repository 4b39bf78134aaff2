import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { TargetsSchema } from './targets';
import type { Targets } from './targets';

/** The process environment as captured by config; passed in so nothing here reads process.env. */
export type Environment = Readonly<Record<string, string | undefined>>;

type Format = 'json' | 'yaml';
const FORMAT_BY_EXTENSION: Record<string, Format> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };

/**
 * Reads TARGETS_FILE (YAML or JSON, by extension), replaces `${NAME}` in string values from `env` so
 * secrets can stay out of the file (`$${` writes a literal `${`), then validates. No file means no
 * targets: plugins then report unknown targets instead of failing at startup.
 */
export async function loadTargets(path: string | undefined, env: Environment = {}): Promise<Targets> {
  if (path === undefined) return TargetsSchema.parse({});
  const format = FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
  if (!format) throw new Error(`Targets file ${path} must end in .yaml, .yml or .json`);
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`Cannot read targets file ${path}: ${messageOf(error)}`, { cause: error });
  });
  const document = parseDocument(path, text, format);

  const problems: string[] = [];
  const resolved = substitute(document, [], env, problems);
  if (problems.length) throw new Error(`Targets file ${path} has unresolved references:\n${problems.join('\n')}`);

  const parsed = TargetsSchema.safeParse(resolved);
  if (!parsed.success) throw new Error(`Invalid targets file ${path}:\n${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}

function parseDocument(path: string, text: string, format: Format): unknown {
  try {
    return format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`Targets file ${path} is not valid ${format.toUpperCase()}: ${messageOf(error)}`, { cause: error });
  }
}

/** `$${` is an escaped `${`; `${NAME}` a reference; any other `${` is malformed rather than passed through. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

/** One pass: a substituted value is never itself expanded. Problems are collected so all are reported at once. */
function substitute(value: unknown, path: PropertyKey[], env: Environment, problems: string[]): unknown {
  if (typeof value === 'string') return substituteString(value, path, env, problems);
  if (Array.isArray(value)) return value.map((item: unknown, index) => substitute(item, [...path, index], env, problems));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, item]) => [key, substitute(item, [...path, key], env, problems)]);
  return Object.fromEntries(entries);
}

function substituteString(text: string, path: PropertyKey[], env: Environment, problems: string[]): string {
  return text.replace(REFERENCE, (match, name: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      problems.push(`  ${fieldPath(path)}: malformed reference; write \${NAME} (letters, digits, _) or $\${ for a literal \${`);
      return match;
    }
    const replacement = Object.hasOwn(env, name) ? env[name] : undefined;
    if (replacement === undefined) problems.push(`  ${fieldPath(path)}: environment variable ${name} is not set`);
    return replacement ?? match;
  });
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  ${fieldPath(issue.path)}: ${issue.message}`).join('\n');
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { TargetsSchema } from './targets';
import type { Targets } from './targets';

/** No file means no targets: plugins then report unknown targets instead of failing at startup. */
export async function loadTargets(path: string | undefined): Promise<Targets> {
  if (path === undefined) return TargetsSchema.parse({});
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`Cannot read targets file ${path}: ${messageOf(error)}`, { cause: error });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Targets file ${path} is not valid JSON: ${messageOf(error)}`, { cause: error });
  }
  const parsed = TargetsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`Invalid targets file ${path}:\n${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('\n');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { compileUserPattern } from '../../../security/user-pattern';
import type { UserPattern } from '../../../security/user-pattern';
import type { AlertTemplate } from './';

const TemplateFileSchema = z.array(
  z
    .object({
      name: z.string().min(1),
      /** A JavaScript regular expression with named groups (title, severity, status, service, instance, …). */
      pattern: z.string().min(1),
      flags: z.string().regex(/^[gimsuy]*$/, 'flags may be g, i, m, s, u, y').default('m'),
      source: z.string().min(1).optional(),
    })
    .strict(),
);

/** Extra alert layouts from ALERT_TEMPLATES_FILE; a bad file stops start-up with the entry and field named. */
export async function loadAlertTemplates(path: string | undefined): Promise<AlertTemplate[]> {
  if (!path) return [];
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read alert templates from ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = TemplateFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`Invalid alert templates in ${path}:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data.map(({ name, pattern, flags, source }, index) => {
    let match: UserPattern;
    try {
      // RE2: an operator's pattern cannot stall the bot on any alert text; what RE2 cannot run is refused here.
      match = compileUserPattern(pattern, flags);
    } catch (error) {
      throw new Error(`Invalid alert templates in ${path}:\n  ${index}.pattern: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { name, match, source };
  });
}

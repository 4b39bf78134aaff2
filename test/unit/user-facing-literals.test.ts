import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * What people read comes from the catalogs (src/i18n/messages): a sentence written as a literal anywhere a
 * person's text is built fails here. Developers' words — log lines, errors thrown for the code, ids, command
 * names, markdown syntax — are not prose for people and pass.
 */
const ROOT = join(import.meta.dirname, '../..');
const PEOPLE_SEE = ['src/chat', 'src/server/console', 'src/policy', 'src/silences', 'src/implementations', 'src/alerts', 'web'];
/**
 * Not built for people to read in a chat or the console: parsing what people and monitoring tools write (the alert
 * detector's vocabulary, the sample alerts, Lark's events), protocol and headers, SQL, and the policy file's own
 * validation (read by whoever writes the file, at start-up, like the configuration's errors).
 */
const NOT_FOR_PEOPLE = [
  'src/chat/core/alert-detector/',
  'src/chat/web/alert-samples.ts',
  'src/chat/lark/event-normalizer.ts',
  'src/chat/lark/webhook.ts',
  'src/chat/lark/lark-people.ts',
  'src/server/console/static-files.ts',
  'src/server/console/event-stream.ts',
  'src/policy/policy-schema.ts',
  'src/policy/oncall-schema.ts',
  'src/policy/cron.ts',
  'src/policy/redis-usage.ts',
  'src/policy/policy-rules.ts',
  'src/alerts/storm-store.ts',
  // What the model reads about an alert group (its prompt), not people.
  'src/alerts/alert-group-summary.ts',
];
/**
 * SQL; dotted names (catalog keys, event types: `console.error.notJson`, `card.action.trigger`); keys with colons
 * (`web:click:`); URLs; markup the bot writes (`<at id=…>`).
 */
const NOT_PROSE = /^\s*(select|insert|update|delete|with|create|alter)\s|^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)+\.?$|^[a-z][a-z0-9-]*(:[a-z0-9-]*)+\s*$|^https?:\/\/|^<\/?[a-z]+[\s=>]/i;
/** Attributes and names, not text: `{ class: 'md notation', rel: 'noopener noreferrer' }`. */
const NOT_TEXT_PROPERTY = /^['"]?(class|className|rel|href|id|role|type|target|name|key|kind)['"]?$/;
/** A comment that says a statement's words are for developers (`// for developers: …`), on it or the line before it. */
const DEVELOPER_MARK = /\/\/ for developers\b/;

/** Two words of letters in a row, or any Chinese: a sentence for a person. */
const PROSE = /[A-Za-z]{2,}[ ,:;.'’]+[A-Za-z]{2,}|[\u4e00-\u9fff]/;
/** Calls whose words are for developers and operators reading logs. */
const DEVELOPER_CALL = /(^|\.)(debug|info|warn|error|fatal|trace|log|inBackground)$|^(describe|it|test|expect|callLark)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function markedForDevelopers(node: ts.Node, lines: string[], line: number): boolean {
  let statement: ts.Node = node;
  while (statement.parent && !ts.isSourceFile(statement.parent) && !ts.isBlock(statement.parent)) statement = statement.parent;
  const first = statement.getSourceFile().getLineAndCharacterOfPosition(statement.getStart()).line;
  return lines.slice(Math.max(0, first - 1), line).some((text) => DEVELOPER_MARK.test(text));
}

function forDevelopers(node: ts.Node, lines: string[], line: number): boolean {
  if (markedForDevelopers(node, lines, line)) return true;
  if (ts.isPropertyAssignment(node.parent) && NOT_TEXT_PROPERTY.test(node.parent.name.getText())) return true;
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    // An error class's own message (`super(…)` in `class …Error`) is for developers.
    if (ts.isClassDeclaration(at) && /Error$/.test(at.name?.text ?? '')) return true;
    if (ts.isNewExpression(at) && /Error$/.test(at.expression.getText())) return true;
    if (ts.isCallExpression(at) && DEVELOPER_CALL.test(at.expression.getText())) return true;
    if (ts.isThrowStatement(at)) return true;
    if (ts.isImportDeclaration(at) || ts.isExportDeclaration(at)) return true;
    // A zod schema's messages are start-up errors for whoever writes the configuration.
    if (ts.isCallExpression(at) && /^z\./.test(at.expression.getText())) return true;
  }
  return false;
}

/** CSS class lists (`timeline-entry timeline-agent`): lower-case, hyphenated names. */
const CSS_CLASSES = /^\s*[a-z][a-z0-9]*(-[a-z0-9]+)+(\s+([a-z][a-z0-9]*(-[a-z0-9]+)*)?)*\s*$/;

/** The texts a literal writes; a template's code (`${…}`) is not text, so each piece between is judged alone. */
function literalTexts(node: ts.Node): string[] | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  return undefined;
}

const isProse = (text: string): boolean => PROSE.test(text) && !CSS_CLASSES.test(text) && !NOT_PROSE.test(text);

function proseLiterals(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, path.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found: string[] = [];
  const lines = text.split('\n');
  const visit = (node: ts.Node): void => {
    const texts = literalTexts(node);
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (texts?.some(isProse) && !forDevelopers(node, lines, line)) {
      found.push(`${relative(ROOT, path)}:${line} ${texts.join('…').slice(0, 80)}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('user-facing text', () => {
  it('comes from the catalogs, not from literals in the code', () => {
    const files = PEOPLE_SEE.flatMap((dir) => sourceFiles(join(ROOT, dir))).filter((file) => !NOT_FOR_PEOPLE.some((skip) => relative(ROOT, file).startsWith(skip)));
    const literals = files.flatMap(proseLiterals);
    expect(literals).toEqual([]);
  });
});

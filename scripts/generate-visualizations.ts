/**
 * Writes the statecharts' diagrams (the incident, and the fix it invokes) to visualizations/ (`npm run viz`).
 * With `--check` it writes nothing and exits 1 if the committed files are stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyStateMachine } from 'xstate';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fixMachine } from '../machines/fix.machine';
import { incidentMachine } from '../machines/incident.machine';
import { toMermaid } from '../src/viz/mermaid';
import { toStatelyJson } from '../src/viz/stately-json';

/** Resolved from this file, so the script works from any cwd. */
export const VISUALIZATIONS_DIR = fileURLToPath(new URL('../visualizations/', import.meta.url));

export interface Visualization {
  /** Relative to VISUALIZATIONS_DIR. */
  file: string;
  contents: string;
}

const CHARTS: { name: string; title: string; machine: AnyStateMachine }[] = [
  { name: 'incident', title: 'Incident statechart', machine: incidentMachine },
  { name: 'fix', title: 'Fix statechart (invoked by the incident in `remediating.executing`)', machine: fixMachine },
];

export function renderVisualizations(): Visualization[] {
  return CHARTS.flatMap(({ name, title, machine }) => {
    const mermaid = toMermaid(machine);
    return [
      { file: `${name}.mmd`, contents: mermaid },
      { file: `${name}.md`, contents: markdownPage(name, title, mermaid) },
      { file: `${name}.stately.json`, contents: `${JSON.stringify(toStatelyJson(machine), null, 2)}\n` },
    ];
  });
}

function markdownPage(name: string, title: string, mermaid: string): string {
  return [
    `# ${title}`,
    '',
    `Generated from \`machines/${name}.machine.ts\` by \`npm run viz\`; do not edit by hand.`,
    'Yellow states are tagged `parked`: they wait for a person.',
    `To edit it in Stately, import the contents of \`${name}.stately.json\` wrapped in \`createMachine(...)\`.`,
    '',
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
  ].join('\n');
}

/** Files under visualizations/ whose committed contents differ from what would be generated. */
export function staleVisualizations(): string[] {
  return renderVisualizations()
    .filter(({ file, contents }) => {
      const path = join(VISUALIZATIONS_DIR, file);
      return !existsSync(path) || readFileSync(path, 'utf8') !== contents;
    })
    .map(({ file }) => `visualizations/${file}`);
}

function main(args: string[]): void {
  if (args.includes('--check')) {
    const stale = staleVisualizations();
    if (stale.length > 0) {
      process.stderr.write(`Stale visualizations, run \`npm run viz\`: ${stale.join(', ')}\n`);
      process.exitCode = 1;
    }
    return;
  }
  mkdirSync(VISUALIZATIONS_DIR, { recursive: true });
  for (const { file, contents } of renderVisualizations()) {
    writeFileSync(join(VISUALIZATIONS_DIR, file), contents);
    process.stdout.write(`wrote visualizations/${file}\n`);
  }
}

// Tests import this module for its renderers; only a direct run writes files.
const scriptPath = process.argv[1];
if (scriptPath !== undefined && import.meta.url === pathToFileURL(scriptPath).href) main(process.argv.slice(2));

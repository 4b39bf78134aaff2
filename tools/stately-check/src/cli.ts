/**
 * npx tsx tools/stately-check/src/cli.ts [--verbose | --json] <machine files…>
 * --json prints the reports (for tests) instead of the text.
 * Exit 0: every chart survives the editor's import and export (warnings allowed); 1: errors; 2: unusable input.
 */
import { resolve } from 'node:path';
import { checkMachineFile, type FileReport } from './check-file';
import { extractorVersion } from './editor-import';
import type { Finding } from './findings';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const json = args.includes('--json');
const files = args.filter((arg) => !arg.startsWith('--'));
const out = (text: string) => { if (!json) process.stdout.write(`${text}\n`); };

const line = (finding: Finding) => `    ${finding.level === 'error' ? 'ERROR' : 'warn '} ${finding.at}: ${finding.message}`;

/** Expected warnings are counted by message (the chart has one per invoke input); the rest are listed. */
function printFindings(findings: Finding[]) {
  const expected = new Map<string, number>();
  for (const finding of findings) {
    if (finding.expected && !verbose) expected.set(finding.message, (expected.get(finding.message) ?? 0) + 1);
    else out(line(finding));
  }
  for (const [message, times] of expected) out(`    warn  ${times} × expected ${message}`);
}

function print(report: FileReport): number {
  out(`${report.file}`);
  printFindings(report.findings);
  let errors = report.findings.filter((f) => f.level === 'error').length;
  for (const machine of report.machines) {
    const { states, transitions, actions, guards, actors } = machine.counts;
    const machineErrors = machine.findings.filter((f) => f.level === 'error').length;
    errors += machineErrors;
    out(`  machine '${machine.id}': ${states} states, ${transitions} transitions, ${actions} actions, ${guards} guards, ${actors} actors; ` +
      `${machineErrors} error(s), ${machine.findings.length - machineErrors} warning(s)`);
    printFindings(machine.findings);
  }
  return errors;
}

async function main(): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('usage: stately-check [--verbose | --json] <machine files…>\n');
    return 2;
  }
  let errors = 0;
  const reports: FileReport[] = [];
  for (const file of files) {
    try {
      const report = await checkMachineFile(resolve(file));
      reports.push(report);
      errors += print(report);
    } catch (cause) {
      process.stderr.write(`${file}: cannot check: ${cause instanceof Error ? cause.message : String(cause)}\n`);
      return 2;
    }
  }
  if (json) process.stdout.write(`${JSON.stringify({ errors, reports }, null, 2)}\n`);
  out(`stately-check (@xstate/machine-extractor ${extractorVersion}): ${errors} error(s) in ${files.length} file(s)`);
  return errors ? 1 : 0;
}

process.exitCode = await main();

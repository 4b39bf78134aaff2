/**
 * `npm run policy:check -- <proposal.json> [--service name] [--requested-by id] [--json]`
 * Prints the decision and reasons the policy in force (POLICY_FILE, else the built-in one, with the
 * same environment as the bot) gives a proposal. It only looks: no quota is claimed. The file holds a
 * fix proposal, or `{ "proposal": {…}, "service": "…", "requestedBy": "…" }`.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { defaultLanguageOf, loadConfig } from '../src/config';
import { I18n } from '../src/i18n';
import { FixProposalSchema } from '../src/domain';
import { createRegistry } from '../src/plugins/discovery';
import { loadTargets } from '../src/plugins/load-targets';
import { createPolicyRuntime } from '../src/app/policy-runtime';
import { describeDecision } from '../src/policy/describe-decision';

const USAGE = 'usage: npm run policy:check -- <proposal.json> [--service name] [--requested-by id] [--json]';

const WrappedSchema = z.object({ proposal: FixProposalSchema, service: z.string().optional(), requestedBy: z.string().optional() }).strict();
const BareSchema = FixProposalSchema.transform((proposal) => ({ proposal, service: undefined, requestedBy: undefined }));

/** Either form, checked against the one it looks like, so the errors name that form's fields. */
function parseInput(raw: unknown) {
  const wrapped = typeof raw === 'object' && raw !== null && 'proposal' in raw;
  return wrapped ? WrappedSchema.safeParse(raw) : BareSchema.safeParse(raw);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { service: { type: 'string' }, 'requested-by': { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const parsed = parseInput(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    process.stderr.write(`${file} is not a fix proposal:\n${z.prettifyError(parsed.error)}\n`);
    return 1;
  }
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const targets = await loadTargets(config.TARGETS_FILE, config.env);
  const { registry: plugins } = await createRegistry({ pluginsDir: config.PLUGINS_DIR, logger });
  const i18n = new I18n(defaultLanguageOf(config), config.TIMEZONE);
  const policy = await createPolicyRuntime(config, { plugins, targets, logger, i18n });
  try {
    const decision = await policy.policy.evaluate(parsed.data.proposal, {
      incidentId: 'policy-check',
      attempt: 1,
      service: values.service ?? parsed.data.service,
      requestedBy: values['requested-by'] ?? parsed.data.requestedBy,
      claim: false,
    });
    const out = values.json ? JSON.stringify(decision, null, 2) : describeDecision(decision, policy.source.current().source, i18n.translator());
    process.stdout.write(`${out}\n`);
    return 0;
  } finally {
    await policy.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

import { PassThrough } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Timeouts } from '../../src/domain';
import { ConsoleChat } from '../../src/chat/terminal/console-chat';
import type { ChatPort } from '../../src/chat/core/chat-port';
import { provideIncidentMachine } from '../../src/implementations';
import type { Diagnostician } from '../../src/diagnosis/diagnostician';
import { RunbookDiagnostician } from '../../src/diagnosis/offline/runbook-diagnostician';
import type { LeasePort } from '../../src/locks/lease-port';
import type { PluginRegistry } from '../../src/plugins/registry';
import type { StepJournal } from '../../src/runtime/step-journal';
import { createRegistry } from '../../src/plugins/discovery';
import { PluginRunner } from '../../src/plugins/plugin-runner';
import type { Targets } from '../../src/plugins/targets';
import { TargetsSchema } from '../../src/plugins/targets';
import { builtinPolicy, ExecutionPolicy, parsePolicy } from '../../src/policy';
import { MemoryUsage } from '../../src/policy/usage';
import { ExecutionStore } from '../../src/store/execution-store';
import { RecordStore } from '../../src/store/record-store';
import { SummaryStore } from '../../src/store/summary-store';
import type { SummaryWriter } from '../../src/diagnosis/summary-writer';
import type { DataCipher } from '../../src/security/encryption';
import type { TestDatabase } from './database';
import { createHarness } from './runtime-harness';
import type { Harness } from './runtime-harness';
import { englishChats } from './languages';

export interface WorkflowHarness extends Harness {
  /** Everything the console chat printed. */
  chatOutput(): string;
  executions: ExecutionStore;
}

/** Targets for a flaky service under test: its health check and a restart that remedies it. */
export function flakyTargets(baseUrl: string): Targets {
  return TargetsSchema.parse({
    http: {
      checkout: {
        baseUrl,
        actions: { restart: { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true, risk: 'medium' } },
      },
    },
  });
}

export interface DiagnosticianFactoryDeps {
  orm: MikroORM;
  journal: StepJournal;
  logger: Logger;
  plugins: PluginRegistry;
  targets: Targets;
  runner: PluginRunner;
}

const offlineDiagnostician = ({ plugins, targets, runner, logger }: DiagnosticianFactoryDeps): Diagnostician =>
  new RunbookDiagnostician(plugins, targets, runner, logger);

/** The real chart with the real implementations (runbook, plugins, policy, console chat) on a real database. */
export async function createWorkflowHarness(options: {
  targets: Targets;
  db?: TestDatabase;
  timeouts?: Partial<Timeouts>;
  autoExecuteLowRisk?: boolean;
  /** A policy file's content; default: the built-in policy, anyone an operator. */
  policy?: unknown;
  poolSize?: number;
  /** Shared leases, as several instances on one Redis have. */
  leases?: LeasePort;
  /** The offline runbook engine unless given (e.g. the LLM agent loop against a fake provider). */
  diagnostician?: (deps: DiagnosticianFactoryDeps) => Diagnostician;
  /** Encrypts step and execution results at rest, as ENCRYPTION_KEY does; default plain. */
  cipher?: DataCipher;
  /** Where the machine's cards go; default the console chat whose output chatOutput() returns. */
  chat?: ChatPort;
  /** Post-incident summaries (from the template unless a writer is given); default none. */
  summaries?: { writer?: SummaryWriter };
}): Promise<WorkflowHarness> {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const chat = new ConsoleChat({ input: new PassThrough(), output, operator: { id: 'tester' }, languages: englishChats() });
  const { registry: plugins } = await createRegistry({ logger: pino({ level: 'silent' }) });
  let executions: ExecutionStore | undefined;
  const rules = options.policy
    ? parsePolicy(options.policy, 'test policy')
    : builtinPolicy({ autoExecuteLowRisk: options.autoExecuteLowRisk ?? false, approverIds: [], dryRun: false });
  const harness = await createHarness({
    db: options.db,
    poolSize: options.poolSize,
    timeouts: options.timeouts,
    cipher: options.cipher,
    leases: options.leases,
    machine: (incidents, h) => {
      executions = new ExecutionStore(h.orm, options.cipher);
      return provideIncidentMachine({
        journal: h.journal,
        incidents,
        incidentStore: h.store,
        records: new RecordStore(h.orm),
        executions,
        chat: options.chat ?? chat,
        plugins,
        targets: options.targets,
        diagnostician: (options.diagnostician ?? offlineDiagnostician)({ ...h, plugins, targets: options.targets, runner: new PluginRunner({ targets: options.targets, logger: h.logger, cacheTtlMs: 30_000 }) }),
        policy: new ExecutionPolicy({ plugins, targets: options.targets, rules: () => rules, usage: new MemoryUsage(), logger: h.logger }),
        logger: h.logger,
        verification: { attempts: 20, intervalMs: 50 },
        ...(options.summaries && { summaries: { store: new SummaryStore(h.orm), writer: options.summaries.writer } }),
      });
    },
  });
  return { ...harness, executions: executions!, chatOutput: () => printed };
}

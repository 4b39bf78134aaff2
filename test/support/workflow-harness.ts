import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { Timeouts } from '../../src/domain';
import { ConsoleChat } from '../../src/chat/console/console-chat';
import { provideIncidentMachine } from '../../src/implementations';
import { RunbookDiagnostician } from '../../src/llm/offline/runbook-diagnostician';
import { createRegistry } from '../../src/plugins/discovery';
import { PluginRunner } from '../../src/plugins/plugin-runner';
import type { Targets } from '../../src/plugins/targets';
import { TargetsSchema } from '../../src/plugins/targets';
import { ExecutionPolicy } from '../../src/policy/execution-policy';
import { ExecutionStore } from '../../src/store/execution-store';
import { RecordStore } from '../../src/store/record-store';
import type { TestDatabase } from './database';
import { createHarness } from './runtime-harness';
import type { Harness } from './runtime-harness';

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

/** The real chart with the real implementations (runbook, plugins, policy, console chat) on a real database. */
export async function createWorkflowHarness(options: {
  targets: Targets;
  db?: TestDatabase;
  timeouts?: Partial<Timeouts>;
  autoExecuteLowRisk?: boolean;
  poolSize?: number;
}): Promise<WorkflowHarness> {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const chat = new ConsoleChat({ input: new PassThrough(), output, operator: { id: 'tester' } });
  const { registry: plugins } = await createRegistry({ logger: pino({ level: 'silent' }) });
  let executions: ExecutionStore | undefined;
  const harness = await createHarness({
    db: options.db,
    poolSize: options.poolSize,
    timeouts: options.timeouts,
    machine: (incidents, h) => {
      executions = new ExecutionStore(h.orm);
      return provideIncidentMachine({
        journal: h.journal,
        incidents,
        incidentStore: h.store,
        records: new RecordStore(h.orm),
        executions,
        chat,
        plugins,
        targets: options.targets,
        diagnostician: new RunbookDiagnostician(plugins, options.targets, new PluginRunner({ targets: options.targets, logger: h.logger, cacheTtlMs: 30_000 }), h.logger),
        policy: new ExecutionPolicy(plugins, { autoExecuteLowRisk: options.autoExecuteLowRisk ?? false }),
        logger: h.logger,
        verification: { attempts: 20, intervalMs: 50 },
      });
    },
  });
  return { ...harness, executions: executions!, chatOutput: () => printed };
}

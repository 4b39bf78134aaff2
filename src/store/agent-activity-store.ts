import type { MikroORM } from '@mikro-orm/postgresql';
import { AgentActivityRecord } from './entities';
import type { AgentActivityKind } from './entities';

export interface AgentActivity {
  activityKey: string;
  incidentId: string;
  attempt: number;
  step: string;
  kind: AgentActivityKind;
  provider?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  durationMs: number;
  cached?: boolean;
  detail: Record<string, unknown>;
}

export interface AgentUsage {
  modelTurns: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Model turns and tool calls of an incident's agent loop, for the audit timeline and cost per incident. */
export class AgentActivityStore {
  constructor(private readonly orm: MikroORM) {}

  /** Once per key: a step replayed after a crash records nothing new. */
  async record(activity: AgentActivity): Promise<void> {
    await this.orm.em
      .fork()
      .createQueryBuilder(AgentActivityRecord)
      .insert({
        ...activity,
        provider: activity.provider ?? null,
        model: activity.model ?? null,
        inputTokens: activity.inputTokens ?? 0,
        outputTokens: activity.outputTokens ?? 0,
        costUsd: activity.costUsd ?? null,
        cached: activity.cached ?? false,
        at: new Date(),
      })
      .onConflict('activity_key')
      .ignore()
      .execute();
  }

  async list(incidentId: string): Promise<AgentActivityRecord[]> {
    return this.orm.em.fork().find(AgentActivityRecord, { incidentId }, { orderBy: { id: 'asc' } });
  }

  async usage(incidentId: string): Promise<AgentUsage> {
    const rows = await this.list(incidentId);
    return rows.reduce<AgentUsage>(
      (sum, row) => ({
        modelTurns: sum.modelTurns + (row.kind === 'model_turn' ? 1 : 0),
        toolCalls: sum.toolCalls + (row.kind === 'tool_call' ? 1 : 0),
        inputTokens: sum.inputTokens + row.inputTokens,
        outputTokens: sum.outputTokens + row.outputTokens,
        costUsd: sum.costUsd + (row.costUsd ?? 0),
      }),
      { modelTurns: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    );
  }
}

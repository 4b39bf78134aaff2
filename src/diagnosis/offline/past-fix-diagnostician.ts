import type { Logger } from 'pino';
import type { Alert, Diagnosis, FixStep, PastIncident, ProposalOutcome } from '../../domain';
import type { IncidentMemoryRecord, MemoryAlert } from '../../memory';
import type { PluginRegistry } from '../../plugins/registry';
import { describeCall } from '../../plugins/run-plugin';
import type { Recollection } from '../agent/prompts';
import type { Diagnostician, StepContext } from '../diagnostician';
import type { RecallFn } from '../llm-diagnostician';

/**
 * A past fix is proposed again only for a past incident this close (and about the same service, see
 * sameSubject): its arguments name that incident's target, so a merely related alert must not inherit them.
 * With the local embedder the same alert again scores about 0.7 (memory embeds the alert with its diagnosis).
 * Policy still decides.
 */
export const PAST_FIX_MIN_SIMILARITY = 0.6;

/** Labels that name what an alert is about; two alerts that both give one must agree on it. */
const SUBJECT_LABELS = ['service', 'app', 'job', 'namespace', 'deployment', 'database', 'datname', 'target'];

/** The past alert is about the same thing: no service or subject label that both give differs. */
export function sameSubject(past: MemoryAlert, alert: Alert): boolean {
  const differ = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a !== b;
  if (differ(past.service, alert.service)) return false;
  return !SUBJECT_LABELS.some((label) => differ(past.labels[label], alert.labels[label]));
}

/** What memory keeps of ended incidents, looked up by id (IncidentMemory). */
export interface PastFixes {
  remembered(incidentId: string): Promise<IncidentMemoryRecord | undefined>;
}

export interface PastFixDeps {
  recall: RecallFn;
  pastFixes?: PastFixes;
  plugins: PluginRegistry;
  logger: Logger;
}

/**
 * The offline engine with memory: each diagnosis keeps what memory recalled (`seenBefore`), and when a
 * past incident close enough was resolved by a fix that verified, that fix is the proposal (saying where
 * it comes from) before the engine's own rules and runbooks are asked. The policy decides as for any proposal.
 */
export class PastFixDiagnostician implements Diagnostician {
  constructor(
    private readonly engine: Diagnostician,
    private readonly deps: PastFixDeps,
  ) {}

  async diagnose(alert: Alert, ctx: StepContext): Promise<Diagnosis> {
    const [diagnosis, recollection] = await Promise.all([this.engine.diagnose(alert, ctx), this.recall(alert, ctx)]);
    const seenBefore = recollection?.seenBefore;
    return seenBefore ? { ...diagnosis, seenBefore } : diagnosis;
  }

  async propose(alert: Alert, diagnosis: Diagnosis, ctx: StepContext): Promise<ProposalOutcome> {
    const reused = diagnosis.category === 'transient' ? undefined : await this.reuse(alert, diagnosis, ctx);
    return reused ?? this.engine.propose(alert, diagnosis, ctx);
  }

  private async reuse(alert: Alert, diagnosis: Diagnosis, ctx: StepContext): Promise<ProposalOutcome | undefined> {
    const candidates = (diagnosis.seenBefore?.incidents ?? []).filter((p) => p.verified && p.fix.length > 0 && p.similarity >= PAST_FIX_MIN_SIMILARITY);
    for (const past of candidates) {
      const record = await this.remembered(past, ctx);
      const outcome = record && sameSubject(record.alert, alert) ? this.proposalFrom(record, diagnosis) : undefined;
      if (outcome) {
        this.deps.logger.info({ incidentId: ctx.incidentId, reusedFrom: past.incidentId }, 'proposing the verified fix of a past incident');
        return outcome;
      }
    }
    return undefined;
  }

  /** The past fix as a proposal, when it verified, kept its checks, and its steps still fit the registered plugins. */
  private proposalFrom(record: IncidentMemoryRecord, diagnosis: Diagnosis): ProposalOutcome | undefined {
    const fix = record.fix;
    if (!record.fixWorked || !fix?.executed || !fix.verification?.length || fix.steps.length === 0) return undefined;
    const steps: FixStep[] = [];
    for (const { pluginId, args } of fix.steps) {
      const plugin = this.deps.plugins.get(pluginId);
      if (plugin?.category !== 'remediation' || !plugin.args.safeParse(args).success) return undefined;
      steps.push({ pluginId, args, summary: describeCall(plugin, args) });
    }
    const fixedOn = record.endedAt?.slice(0, 10);
    return {
      fixable: true,
      proposal: {
        summary: fix.summary,
        rationale: `This fix resolved ${record.incidentId}${fixedOn ? ` on ${fixedOn}` : ''} and passed its checks; that incident was very like this one. ${diagnosis.rootCause}`,
        riskClaim: 'low',
        expectedOutcome: `The checks that verified ${record.incidentId} pass again: ${fix.verification.map((check) => check.pluginId).join(', ')}.`,
        steps,
        verification: fix.verification,
        reusedFrom: { incidentId: record.incidentId, ...(record.endedAt && { fixedAt: record.endedAt }) },
      },
    };
  }

  private async remembered(past: PastIncident, ctx: StepContext): Promise<IncidentMemoryRecord | undefined> {
    try {
      return await this.deps.pastFixes?.remembered(past.incidentId);
    } catch (error) {
      ctx.signal.throwIfAborted();
      this.deps.logger.warn({ incidentId: ctx.incidentId, past: past.incidentId, err: error }, 'past fix not read from memory; proposing without it');
      return undefined;
    }
  }

  private async recall(alert: Alert, ctx: StepContext): Promise<Recollection | undefined> {
    try {
      return await this.deps.recall(alert, ctx.signal, { exceptIncidentId: ctx.incidentId });
    } catch (error) {
      ctx.signal.throwIfAborted();
      this.deps.logger.warn({ incidentId: ctx.incidentId, err: error }, 'memory recall failed; diagnosing without it');
      return undefined;
    }
  }
}

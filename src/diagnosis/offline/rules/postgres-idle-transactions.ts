import { describeCall } from '../../../plugins/run-plugin';
import { atLeast, configuredNameIn } from './rule';
import type { RunbookRule } from './rule';

/** The youngest idle-in-transaction session the fix may end; terminate_backends refuses anything younger. */
const IDLE_SECONDS = 30;
const CATEGORY = 'database-connections';

interface ActivityData {
  connections?: { status: string; value?: { maxConnections?: number; byState?: Record<string, number> } };
  idleInTransaction?: { status: string; value?: unknown[] };
}

/** Sessions left idle in a transaction hold connection slots (and locks): end the old ones. */
export const postgresIdleTransactionsRule: RunbookRule = {
  targetFor: (alert, targets) => configuredNameIn(alert, targets.postgres),

  async diagnose(alert, target, tools) {
    const result = await tools.runDiagnostic('postgres.activity', { target, olderThanSeconds: IDLE_SECONDS, limit: 100 });
    const evidence = [{ source: 'postgres.activity', summary: result.summary, status: result.status }];
    const data = (result.data ?? {}) as ActivityData;
    const idle = data.idleInTransaction?.status === 'success' ? (data.idleInTransaction.value?.length ?? 0) : 0;
    const connections = data.connections?.value;
    const used = Object.values(connections?.byState ?? {}).reduce((sum, n) => sum + n, 0);
    const slots = connections?.maxConnections ? ` (${used} of ${connections.maxConnections} connections in use)` : '';
    if (result.status === 'success' && idle > 0) {
      return {
        summary: `${idle} session(s) idle in a transaction on ${target}${slots}.`,
        rootCause: `${idle} session(s) on ${target} opened a transaction and went idle for ≥ ${IDLE_SECONDS} s; they hold connection slots and locks until they end.`,
        category: CATEGORY,
        severity: atLeast(alert.severity, 'high'),
        affectedService: target,
        confidence: 0.75,
        evidence,
      };
    }
    return {
      summary: result.status === 'success' ? `${target} has no long idle transactions${slots}.` : `${target} could not be inspected.`,
      rootCause: result.status === 'success' ? 'Nothing the Postgres runbook knows how to fix.' : result.summary,
      category: result.status === 'success' ? 'database' : 'unknown',
      severity: alert.severity,
      affectedService: target,
      confidence: 0.3,
      evidence,
    };
  },

  propose(diagnosis, { plugins }) {
    const target = diagnosis.affectedService;
    if (diagnosis.category !== CATEGORY || !target) return undefined;
    const args = { target, mode: 'idle_in_transaction', olderThanSeconds: IDLE_SECONDS, limit: 100 };
    const terminate = plugins.get('postgres.terminate_backends');
    return {
      fixable: true,
      proposal: {
        summary: `End the sessions idle in a transaction on ${target}`,
        rationale: 'Their transactions are abandoned; ending them frees the connection slots and locks. The applications reconnect.',
        riskClaim: 'medium',
        steps: [{ pluginId: 'postgres.terminate_backends', args, summary: terminate ? describeCall(terminate, args) : 'Terminate idle sessions' }],
        verification: [
          { pluginId: 'postgres.activity', args: { target, olderThanSeconds: IDLE_SECONDS }, expect: [{ path: 'idleInTransaction.value', atMost: 0 }] },
        ],
      },
    };
  },
};

import { z } from 'zod';
import { definePlugin } from '../../src/plugins/plugin';
import { BackendFilterFields, confirmBackends, planBackends, signalBackends } from './postgres-terminate-backends';
import type { BackendAction } from './postgres-terminate-backends';

const LONG_RUNNING: BackendAction = {
  done: 'cancelled',
  signalFunction: 'pg_cancel_backend',
  describe: (seconds) => `queries running ≥ ${seconds} s`,
  since: 'a.query_start',
  condition: `a.state = 'active' and a.query_start <= now() - make_interval(secs => $2)`,
};

const CancelArgsSchema = z.object(BackendFilterFields).strict();

export default definePlugin({
  id: 'postgres.cancel_query',
  version: 1,
  category: 'remediation',
  // Gentler than terminating (the session survives), but the application sees an error and the statement's
  // work (in a transaction, the whole transaction) is lost for good: not something to run without approval,
  // which 'low' would allow where low risk is auto-executed.
  risk: 'medium',
  blastRadius: 'service',
  description:
    'Cancel queries that have been running for at least olderThanSeconds on a configured Postgres target ' +
    '(pg_cancel_backend: the statement fails and rolls back, the session stays connected). Oldest first, at most ' +
    'limit (≤100), only in the target\'s own database (another database on the server is refused), optionally only a user, ' +
    'application_name or list of pids. Never touches superuser, replication or its own sessions. Prefer it to ' +
    'postgres.terminate_backends for runaway queries.',
  summary: (args) => `Cancel ≤${args.limit} ${LONG_RUNNING.describe(args.olderThanSeconds)} on ${args.target}`,
  args: CancelArgsSchema,
  timeoutMs: 30_000,
  idempotent: true,
  // A cancelled query's work is rolled back; re-running it is its client's decision, not ours.
  undo: 'none',
  // Lists the sessions it signalled with their query texts.
  sensitiveOutput: true,
  run: (args, ctx) => signalBackends(LONG_RUNNING, args, ctx),
  dryRun: (args, ctx) => planBackends('cancel', LONG_RUNNING, args, ctx),
  confirm: (args, ctx) => confirmBackends(LONG_RUNNING, args, ctx),
});

import type { Logger } from 'pino';
import { GroupingIntake } from '../alerts/grouping-intake';
import type { Config } from '../config';
import { DeferredAlertDrainer } from '../intake/deferred-alert-drainer';
import { DeferringIntake } from '../intake/deferring-intake';
import { RedactingIntake } from '../intake/redacting-intake';
import { SilencingIntake } from '../intake/silencing-intake';
import type { IncidentService } from '../runtime/incident-service';
import { SilenceService } from '../silences/silence-service';
import { SilenceStore } from '../silences/silence-store';
import { DeferredAlertStore } from '../store/deferred-alert-store';
import type { Foundation } from './foundation';
import type { IncidentCore } from './incidents';

/** What every door (Lark, web console, terminal, /api/alerts) opens incidents through. */
export interface IntakeChain {
  /** Redact → silence → defer when busy elsewhere → group into the open incident, or open one. */
  intake: IncidentService;
  silences: SilenceService;
  /** Repeats that waited in the database for an incident busy on another instance, applied once it is free. */
  deferredDrainer: DeferredAlertDrainer;
}

export function buildIntakeChain(config: Config, logger: Logger, base: Foundation, core: IncidentCore): IntakeChain {
  // One incident per problem: alerts of a group join its open incident (one group at a time, across instances with Redis).
  const grouping = new GroupingIntake(core.runtime, {
    alerts: core.alertStore,
    rules: { groupBy: config.GROUP_BY, windowMs: config.GROUP_WINDOW },
    locks: base.groupLocks,
    logger,
  });
  const deferredAlerts = new DeferredAlertStore(base.orm);
  // An alert an active silence matches (checked on the redacted alert) opens nothing.
  const silences = new SilenceService(new SilenceStore(base.orm));
  const intake = new RedactingIntake(new SilencingIntake(new DeferringIntake(grouping, deferredAlerts, logger), silences, logger), base.scrubber);
  const deferredDrainer = new DeferredAlertDrainer({ store: deferredAlerts, service: grouping, locks: base.clusterLocks, logger, intervalMs: config.DEADLINE_SWEEP_INTERVAL });
  return { intake, silences, deferredDrainer };
}

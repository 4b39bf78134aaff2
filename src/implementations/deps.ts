import type { Logger } from 'pino';
import type { DiagnosisSlots } from '../alerts/diagnosis-slots';
import type { StormThreads } from '../alerts/storm-threads';
import type { IncidentAlertStore } from '../store/incident-alert-store';
import type { ChatPort } from '../chat/core/chat-port';
import type { Diagnostician } from '../diagnosis/diagnostician';
import type { AnyPlugin } from '../plugins/plugin';
import type { PluginRegistry } from '../plugins/registry';
import type { PluginRunResult } from '../plugins/run-plugin';
import type { Targets } from '../plugins/targets';
import type { ExecutionPolicy } from '../policy/execution-policy';
import type { IncidentService } from '../runtime/incident-service';
import type { StepJournal } from '../runtime/step-journal';
import type { ExecutionStore } from '../store/execution-store';
import type { IncidentStore } from '../store/incident-store';
import type { RecordStore } from '../store/record-store';
import type { Scrubber } from '../security';
import type { I18n } from '../i18n';
import type { SummaryWriter } from '../diagnosis/summary-writer';
import type { SummaryStore } from '../store/summary-store';
import type { ChainLevel } from './reminder';

/** The ports the chart's implementations are built from (Temporal's createActivities(deps) pattern). */
export interface ImplementationDeps {
  journal: StepJournal;
  incidents: IncidentService;
  incidentStore: IncidentStore;
  records: RecordStore;
  executions: ExecutionStore;
  chat: ChatPort;
  plugins: PluginRegistry;
  targets: Targets;
  diagnostician: Diagnostician;
  policy: ExecutionPolicy;
  logger: Logger;
  /** Redacts secrets from what plugins return before it is stored or shown. */
  scrubber?: Scrubber;
  /** Verification polls: the fix may need a moment to take effect. */
  verification: { attempts: number; intervalMs: number };
  /** The alerts each incident holds: the model reads its group summarised. Without it, only the first alert. */
  alertStore?: IncidentAlertStore;
  /** MAX_CONCURRENT_DIAGNOSES; without it every diagnosis starts at once. */
  diagnosisSlots?: DiagnosisSlots;
  /** STORM_THRESHOLD: an incident of a storm posts in the storm card's thread. Without it, storms are not watched. */
  stormThreads?: StormThreads;
  /** ESCALATION_CHAIN: who a decision card nobody answers reaches after the first reminder, level by level. */
  escalationChain?: readonly ChainLevel[];
  /** LANGUAGE and TIMEZONE for what the steps write (reminders); English in UTC without it. */
  i18n?: I18n;
  /** Post-incident summaries: kept in `store`, written by the model when `writer` is set, else from the template. Without it, none. */
  summaries?: { store: SummaryStore; writer?: SummaryWriter };
  /** Hears each remediation and verification plugin run that finished (metrics). */
  onPluginResult?: (plugin: AnyPlugin, result: PluginRunResult) => void;
}

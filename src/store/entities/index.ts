import { AgentActivityRecord } from './agent-activity.entity';
import { ChatCursorRecord } from './chat-cursor.entity';
import { ChatSettingRecord } from './chat-setting.entity';
import { DeferredAlertRecord } from './deferred-alert.entity';
import { DiagnosisRecord } from './diagnosis.entity';
import { ExecutionRecord } from './execution.entity';
import { InboundEventRecord } from './inbound-event.entity';
import { IncidentAlertRecord } from './incident-alert.entity';
import { IncidentEventRecord } from './incident-event.entity';
import { IncidentSummaryRecord } from './incident-summary.entity';
import { IncidentRecord } from './incident.entity';
import { KnowledgeRecord } from './knowledge.entity';
import { ProposalRecord } from './proposal.entity';
import { SilenceRecord, SilencedAlertRecord } from './silence.entity';
import { StepJournalRecord } from './step-journal.entity';
import { ChatOpeningRecord, StormRecord } from './storm.entity';
import { WebMessageRecord } from './web-message.entity';

export {
  AgentActivityRecord,
  ChatCursorRecord,
  ChatSettingRecord,
  DeferredAlertRecord,
  InboundEventRecord,
  DiagnosisRecord,
  ExecutionRecord,
  IncidentAlertRecord,
  IncidentEventRecord,
  IncidentSummaryRecord,
  IncidentRecord,
  KnowledgeRecord,
  ProposalRecord,
  SilenceRecord,
  SilencedAlertRecord,
  StepJournalRecord,
  StormRecord,
  ChatOpeningRecord,
  WebMessageRecord,
};
export type { ExecutionStatus } from './execution.entity';
export type { WebMessageAuthor } from './web-message.entity';
export type { AgentActivityKind } from './agent-activity.entity';

export const ALL_ENTITIES = [
  IncidentRecord,
  IncidentEventRecord,
  IncidentAlertRecord,
  DiagnosisRecord,
  ProposalRecord,
  ExecutionRecord,
  StepJournalRecord,
  KnowledgeRecord,
  InboundEventRecord,
  ChatCursorRecord,
  AgentActivityRecord,
  WebMessageRecord,
  DeferredAlertRecord,
  SilenceRecord,
  SilencedAlertRecord,
  StormRecord,
  ChatOpeningRecord,
  ChatSettingRecord,
  IncidentSummaryRecord,
];

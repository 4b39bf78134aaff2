import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000Initial } from './Migration20261125000000Initial';
import { Migration20261125010000ChatIntake } from './Migration20261125010000ChatIntake';
import { Migration20261126000000Memory } from './Migration20261126000000Memory';
import { Migration20261126010000AgentActivity } from './Migration20261126010000AgentActivity';
import { Migration20261126030000WebConsole } from './Migration20261126030000WebConsole';
import { Migration20261126040000InboundCompletion } from './Migration20261126040000InboundCompletion';
import { Migration20261126050000InboundReplay } from './Migration20261126050000InboundReplay';
import { Migration20261126060000DeferredAlerts } from './Migration20261126060000DeferredAlerts';
import { Migration20261207000000IncidentAlerts } from './Migration20261207000000IncidentAlerts';
import { Migration20261207010000Silences } from './Migration20261207010000Silences';
import { Migration20261207020000Storms } from './Migration20261207020000Storms';
import { Migration20261207100000ChatSettings } from './Migration20261207100000ChatSettings';
import { Migration20261207300000IncidentSummaries } from './Migration20261207300000IncidentSummaries';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261125000000Initial', class: Migration20261125000000Initial },
  { name: 'Migration20261125010000ChatIntake', class: Migration20261125010000ChatIntake },
  { name: 'Migration20261126000000Memory', class: Migration20261126000000Memory },
  { name: 'Migration20261126010000AgentActivity', class: Migration20261126010000AgentActivity },
  { name: 'Migration20261126030000WebConsole', class: Migration20261126030000WebConsole },
  { name: 'Migration20261126040000InboundCompletion', class: Migration20261126040000InboundCompletion },
  { name: 'Migration20261126050000InboundReplay', class: Migration20261126050000InboundReplay },
  { name: 'Migration20261126060000DeferredAlerts', class: Migration20261126060000DeferredAlerts },
  { name: 'Migration20261207000000IncidentAlerts', class: Migration20261207000000IncidentAlerts },
  { name: 'Migration20261207010000Silences', class: Migration20261207010000Silences },
  { name: 'Migration20261207020000Storms', class: Migration20261207020000Storms },
  { name: 'Migration20261207100000ChatSettings', class: Migration20261207100000ChatSettings },
  { name: 'Migration20261207300000IncidentSummaries', class: Migration20261207300000IncidentSummaries },
];

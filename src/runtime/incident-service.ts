import type { WorkflowView } from '../../machines/incident.view';
import type { Actor, AlertInput, AlertTally, IncidentContext, IncidentEvent } from '../domain';
import type { SilenceMatch } from '../domain/silence';
import type { IncidentStatus } from '../domain/incident-status';

/** What callers (chat adapters, HTTP intake, commands) see of an incident. */
export interface IncidentView {
  id: string;
  /** Dotted state path, e.g. `open.awaitingDiagnosisApproval`: for logs, the audit and the console's statechart only. */
  state: string;
  status: IncidentStatus;
  version: number;
  title: string;
  severity: string;
  service: string | null;
  fingerprint: string;
  chatId: string;
  mergedInto: string | null;
  wakeAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  context: IncidentContext;
  /** Where it stands in the workflow, in the chart's words: what callers ask instead of reading `state`. */
  workflow: WorkflowView;
  /** Event types the current state accepts from people (the same list as `workflow.accepts`). */
  accepts: IncidentEvent['type'][];
}

/** A transition, reported after it is persisted. */
export interface IncidentChange {
  incidentId: string;
  eventType: string;
  /** The event's data as written to the audit row (who, from which message, outputs). */
  payload: Record<string, unknown>;
  fromState: string | null;
  toState: string;
  status: IncidentStatus;
  context: IncidentContext;
}

export type IncidentListener = (change: IncidentChange) => void;

export interface CreateIncidentRequest {
  alert: AlertInput;
  chatId: string;
  /** The chat message that carried the alert, if it came from a chat. */
  alertMessageId?: string;
  by: Actor;
  /** Other alerts of the same group that came in the same notification: one incident holds them all. */
  alongWith?: AlertInput[];
  /** Set by grouping for a new incident: how later alerts of its group find it, and the alerts it holds. */
  groupKey?: string;
  alerts?: AlertTally;
}

/**
 * What intake gets back: the incident the alert opened, the open one it repeats (`opened: false`), or,
 * when an active silence matches the alert, no incident at all (`silenced`).
 */
export type ReportedIncident = OpenedOrRepeated | SilencedAlert;
export type OpenedOrRepeated = IncidentView & { opened: boolean; silenced?: undefined };
export interface SilencedAlert {
  opened: false;
  silenced: SilenceMatch;
}

/** The runtime as the rest of the bot uses it. Every method resolves only after the change is persisted. */
export interface IncidentService {
  /**
   * Opens an incident for the alert, or, when an incident with the same fingerprint is open, records the
   * alert on it as a repeat instead of opening another.
   */
  create(request: CreateIncidentRequest): Promise<ReportedIncident>;
  send(incidentId: string, event: IncidentEvent): Promise<IncidentView>;
  get(incidentId: string): Promise<IncidentView | null>;
  listOpen(limit?: number): Promise<IncidentView[]>;
}

/** What grouping needs of the runtime: an alert event built while the incident is held (see IncidentRuntime). */
export interface AlertChangeTarget extends IncidentService {
  applyAlertChange(incidentId: string, build: () => Promise<IncidentEvent>): Promise<IncidentView>;
}

/** The errors the runtime answers with; chat, intake and the store adapter tell people or retry by their type. */

/** Bad input from outside: answered with this message, nothing changed. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}
export class UnknownIncidentError extends Error {
  override name = 'UnknownIncidentError';
  constructor(readonly incidentId: string) {
    super(`No incident ${incidentId}.`);
  }
}
/** The incident's state does not take the event now. The message is for people (labels); `state` is for logs. */
export class EventNotAcceptedError extends Error {
  override name = 'EventNotAcceptedError';
  readonly stateLabel: string;
  constructor(
    readonly incidentId: string,
    readonly eventType: string,
    /** The raw state path, for logs and the audit. */
    readonly state: string,
    /** What people call the state and the event (see machines/incident.labels.ts). */
    labels: { state: string; event: string },
  ) {
    super(`Incident ${incidentId} cannot take "${labels.event}" now. Where it stands: ${labels.state}.`);
    this.stateLabel = labels.state;
  }
}
/** Another writer moved the incident on first; the caller's view is stale. */
export class StaleWriteError extends Error {
  override name = 'StaleWriteError';
  constructor(readonly incidentId: string, readonly expectedVersion: number) {
    super(`Incident ${incidentId} is no longer at version ${expectedVersion}.`);
  }
}

/** Another instance holds the incident (its steps are running there): try again in a moment. */
export class IncidentBusyError extends Error {
  override name = 'IncidentBusyError';
  constructor(readonly incidentId: string) {
    super(`Incident ${incidentId} is being worked on by another instance; try again in a moment.`);
  }
}

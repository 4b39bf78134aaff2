/** Where an incident stands, for queries; the snapshot is the truth. */
export const INCIDENT_STATUSES = ['active', 'parked', 'done'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

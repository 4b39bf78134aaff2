import { z } from 'zod';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** Risk of running a remediation; diagnostics are always `read-only`. */
export const RISKS = ['read-only', 'low', 'medium', 'high', 'critical'] as const;
export const RiskSchema = z.enum(RISKS);
export type Risk = z.infer<typeof RiskSchema>;

export function maxRisk(...risks: Risk[]): Risk {
  return risks.reduce<Risk>((max, r) => (RISKS.indexOf(r) > RISKS.indexOf(max) ? r : max), 'read-only');
}

import { z } from 'zod';
import type { Label } from '../../../machines/incident.labels';
import { consoleText } from './console-text';

/** A step report as the audit keeps it: enough of it to say which step ran and how it went. */
const StepReport = z.object({
  index: z.number().int().min(0),
  of: z.number().int().min(1),
  outcome: z.object({ pluginId: z.string().min(1), status: z.string().min(1) }),
  dryRun: z.boolean().optional(),
});


/**
 * "Step 2 of 3: kubernetes.scale succeeded": a fix's step row read from its payload, so that a fix of several
 * steps does not show as the same line again and again. Undefined for any other row, or a payload it cannot read
 * (the row then keeps the event's own label).
 */
export function fixStepRowLabel(eventType: string, payload: unknown): Label | undefined {
  // The fix machine's report of a step (`fix.stepped`) is the one row per step: it carries the report itself.
  if (eventType !== 'fix.stepped') return undefined;
  const report = StepReport.safeParse(payload);
  if (!report.success) return undefined;
  const { index, of, outcome, dryRun } = report.data;
  return consoleText('console.timeline.fixStep', { n: index + 1, of, plugin: outcome.pluginId, status: outcome.status, dryRun: dryRun ? 'yes' : 'no' });
}

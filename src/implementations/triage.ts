import type { TriageResult } from '../domain';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import { incidentStep } from './incident-step';

// for developers: the audit's record of each verdict; people read the phase and the cards.
const REASONS = {
  duplicate: (id: string) => `Same fingerprint as open incident ${id}.`,
  recoveryWithNothingOpen: 'A recovery notice with no open incident to close.',
  informational: 'Informational alert: nothing to fix.',
  new: 'No open incident has this fingerprint.',
};

/** New, a repeat of an older open incident, or noise. Reads only; a re-run may decide afresh. */
export function triage({ incidentStore }: ImplementationDeps) {
  return incidentStep<TriageResult, void>(async ({ system }) => {
    const ctx = incidentContext(system);
    const { alert } = ctx;
    const original = await incidentStore.findOpenDuplicate(ctx.incidentId, alert.fingerprint);
    if (original) return { verdict: 'duplicate', duplicateOf: original, reason: REASONS.duplicate(original) };
    if (alert.status === 'resolved') return { verdict: 'noise', reason: REASONS.recoveryWithNothingOpen };
    if (alert.severity === 'info') return { verdict: 'noise', reason: REASONS.informational };
    return { verdict: 'new', reason: REASONS.new };
  });
}

/** Tells the original incident its alert fired again. Fails (and the alert is handled on its own) if it closed meanwhile. */
export function mergeIntoOriginal({ journal, incidents }: ImplementationDeps) {
  return incidentStep<void, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    const triaged = ctx.triage;
    if (triaged?.verdict !== 'duplicate') throw new Error('Nothing to merge into.');
    await journal.step(stepKey(ctx, 'merge'), signal, async () => {
      await incidents.send(triaged.duplicateOf, {
        type: 'alert.repeated',
        fromIncident: ctx.incidentId,
        status: ctx.alert.status,
      });
    });
  });
}

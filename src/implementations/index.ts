import { fixMachine } from '../../machines/fix.machine';
import { incidentMachine } from '../../machines/incident.machine';
import type { IncidentMachine } from '../../machines/incident.machine';
import { announce } from './announce';
import type { ImplementationDeps } from './deps';
import { awaitDiagnosisSlot, diagnose, propose, sendDiagnosisCard } from './diagnosis';
import { evaluatePolicy, sendProposalCard } from './policy';
import { remind } from './reminder';
import { runFixStep, verify } from './remediation';
import { mergeIntoOriginal, triage } from './triage';
import { waitUntil } from './wait-until';

export type { ImplementationDeps } from './deps';

/** The production chart with every actor it names implemented from the given ports. */
export function provideIncidentMachine(deps: ImplementationDeps): IncidentMachine {
  return incidentMachine.provide({
    actors: {
      triage: triage(deps),
      mergeIntoOriginal: mergeIntoOriginal(deps),
      diagnose: diagnose(deps),
      sendDiagnosisCard: sendDiagnosisCard(deps),
      propose: propose(deps),
      evaluatePolicy: evaluatePolicy(deps),
      sendProposalCard: sendProposalCard(deps),
      fix: fixMachine.provide({ actors: { runFixStep: runFixStep(deps) } }),
      verify: verify(deps),
      announce: announce(deps),
      waitUntil,
      awaitDiagnosisSlot: awaitDiagnosisSlot(deps),
      remind: remind(deps),
    },
  });
}

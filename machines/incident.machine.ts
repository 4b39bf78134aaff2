import { fromPromise, setup } from 'xstate';
import type {
  AnnouncementInput,
  Diagnosis,
  FixStepped,
  IncidentContext,
  IncidentEvent,
  IncidentInput,
  PolicyDecision,
  ProposalOutcome,
  ReminderInput,
  ReminderOutcome,
  SentMessage,
  TriageResult,
  VerificationOutcome,
  WaitUntilInput,
} from '../src/domain';
import { fixMachine } from './fix.machine';
import { incidentActions } from './incident.assignments';
import { incidentGuards } from './incident.rules';

/**
 * Bump when a change makes older persisted snapshots unreadable by this chart. 2: a fix runs as the `fix` child
 * machine; a version-1 incident caught mid-fix has no step to resume and escalates at its execution deadline.
 */
export const INCIDENT_MACHINE_VERSION = 2;

/** Actors are stubs here; `src/implementations` provides the real ones through `machine.provide()`. */
function notProvided<I, O>(name: string) { return fromPromise<O, I>(() => Promise.reject(new Error(`actor "${name}" was not provided`))); }

/** Guards and context updates live in incident.rules.ts and incident.assignments.ts; the chart names them. */
export const incidentMachine = setup({
  types: {
    context: {} as IncidentContext,
    /** People's and intake's events, and the fix machine's report of each step. */
    events: {} as IncidentEvent | FixStepped,
    input: {} as IncidentInput,
    /** `parked`: waits for a person or a deadline, out of memory; `closed`: over (but /rollback may take it up again). */
    tags: {} as 'parked' | 'closed',
  },
  actors: {
    triage: notProvided<void, TriageResult>('triage'),
    mergeIntoOriginal: notProvided<void, void>('mergeIntoOriginal'),
    diagnose: notProvided<void, Diagnosis>('diagnose'),
    sendDiagnosisCard: notProvided<void, SentMessage>('sendDiagnosisCard'),
    propose: notProvided<void, ProposalOutcome>('propose'),
    evaluatePolicy: notProvided<void, PolicyDecision>('evaluatePolicy'),
    sendProposalCard: notProvided<void, SentMessage>('sendProposalCard'),
    /** The fix's steps, one invoked actor each (machines/fix.machine.ts). */
    fix: fixMachine,
    verify: notProvided<void, VerificationOutcome>('verify'),
    announce: notProvided<AnnouncementInput, SentMessage>('announce'),
    waitUntil: notProvided<WaitUntilInput, void>('waitUntil'),
    awaitDiagnosisSlot: notProvided<void, void>('awaitDiagnosisSlot'),
    remind: notProvided<ReminderInput, ReminderOutcome>('remind'),
  },
  guards: incidentGuards,
  actions: incidentActions,
}).createMachine({
  id: 'incident',
  description:
    'One incident from alert to resolution. Every transition is persisted before anything outside sees it; states tagged "parked" wait for a person and are evicted from memory.',
  initial: 'open',
  // A blank; `adoptInput` fills it from the input when the incident opens.
  context: {
    incidentId: '', chatId: '', alert: null, attempt: 1, repeats: 0, flaps: 0,
    timeouts: {
      diagnosisApproval: 1_800_000, proposalApproval: 1_800_000, diagnosisStep: 300_000, proposalStep: 300_000,
      executionStep: 600_000, verificationStep: 300_000, recoveryQuiet: 300_000, reopenWindow: 1_800_000,
    },
    triage: null, diagnosis: null, proposal: null, decision: null, execution: null, verification: null,
    cards: {}, approvals: {}, deadlines: {}, escalation: null, resolution: null,
  },
  entry: 'adoptInput',
  on: {
    'alert.repeated': { actions: 'recordRepeat', description: 'Another alert with this fingerprint was merged in.' },
    'alert.joined': { actions: 'recordAlerts', description: 'More alerts of its group fire: counted and shown; nothing restarts.' },
    'alert.recovered': { actions: 'recordAlerts', description: 'Some of its alerts recovered at source: counted and shown.' },
  },
  states: {
    open: {
      description: 'Nothing has been changed yet (or, for a rollback, the fix is to be undone): a person may escalate or dismiss at any point.',
      initial: 'triaging',
      on: {
        'incident.escalate': { target: 'escalating', actions: { type: 'recordEscalation', params: { reason: 'Escalated by hand' } } },
        'incident.ignore': { target: 'ignored', actions: 'recordResolution' },
        'alert.recovered': [
          {
            guard: 'mayResolveUnchanged',
            target: 'recovering',
            actions: ['recordAlerts', 'recordRecovery'],
            description: 'Every alert recovered before anything was changed: no person needed; a running step is stopped.',
          },
          { actions: 'recordAlerts', description: 'Some still fire, it flapped too often to resolve by itself, or a rollback waits for people.' },
        ],
      },
      states: {
        triaging: {
          description: 'Is this alert new, a repeat of an open incident, or noise?',
          invoke: {
            id: 'triage', src: 'triage',
            onDone: [
              { guard: 'isDuplicate', target: 'merging', actions: 'recordTriage' },
              { guard: 'isNoise', target: '#incident.ignored', actions: 'recordTriage' },
              { target: 'awaitingDiagnosisSlot', actions: 'recordTriage' },
            ],
            onError: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Triage failed' } } },
          },
        },
        merging: {
          description: 'Tell the open incident with the same fingerprint that its alert fired again.',
          invoke: {
            id: 'mergeIntoOriginal', src: 'mergeIntoOriginal',
            onDone: { target: '#incident.merged' },
            onError: { target: 'awaitingDiagnosisSlot', description: 'The original closed meanwhile: handle this alert on its own.' },
          },
        },
        awaitingDiagnosisSlot: {
          description: 'Waiting for a diagnosis slot: at most MAX_CONCURRENT_DIAGNOSES run at once per instance, the most severe first.',
          invoke: {
            id: 'awaitDiagnosisSlot', src: 'awaitDiagnosisSlot',
            onDone: { target: 'diagnosing' },
            onError: { target: 'diagnosing', description: 'Scheduling is an optimisation: never let it hold an incident back.' },
          },
        },
        diagnosing: {
          description: 'Find the root cause, running read-only diagnostic plugins as tools.',
          entry: { type: 'startTimer', params: { timer: 'diagnosisStep' } },
          invoke: [
            {
              id: 'diagnose', src: 'diagnose',
              onDone: { target: 'notifyingDiagnosis', actions: 'recordDiagnosis' },
              onError: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Diagnosis unavailable' } } },
            },
            {
              id: 'diagnosisStepTimer', src: 'waitUntil', input: { timer: 'diagnosisStep' },
              onDone: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Diagnosis timed out' } } },
            },
          ],
        },
        notifyingDiagnosis: {
          description: 'Post the diagnosis card with Approve / Reject.',
          invoke: {
            id: 'sendDiagnosisCard', src: 'sendDiagnosisCard',
            onDone: {
              target: 'awaitingDiagnosisApproval',
              actions: [
                { type: 'recordCard', params: { card: 'diagnosis' } },
                { type: 'startTimer', params: { timer: 'diagnosisApproval' } },
                { type: 'armReminder', params: { card: 'diagnosis' } },
              ],
              description: 'The deadline starts with the card; a reminder coming back here does not move it.',
            },
            onError: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Could not post the diagnosis card' } } },
          },
        },
        awaitingDiagnosisApproval: {
          description: 'Parked until a person confirms or rejects the diagnosis, or the deadline passes.',
          tags: ['parked'],
          invoke: [
            {
              id: 'diagnosisApprovalTimer', src: 'waitUntil', input: { timer: 'diagnosisApproval' },
              onDone: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Nobody confirmed the diagnosis in time' } } },
            },
            { id: 'diagnosisReminderTimer', src: 'waitUntil', input: { timer: 'reminder', optional: true }, onDone: { target: 'remindingDiagnosis' } },
          ],
          on: {
            'diagnosis.approved': {
              guard: { type: 'isFromCurrentCard', params: { card: 'diagnosis' } },
              target: 'proposing',
              actions: { type: 'recordApproval', params: { card: 'diagnosis' } },
            },
            'diagnosis.rejected': {
              guard: { type: 'isFromCurrentCard', params: { card: 'diagnosis' } },
              target: '#incident.escalating',
              actions: { type: 'recordEscalation', params: { reason: 'Diagnosis rejected' } },
            },
          },
        },
        remindingDiagnosis: {
          description: 'Nobody answered the diagnosis card: remind the on-call in its thread, then each ESCALATION_CHAIN level; the deadline stays.',
          invoke: {
            id: 'remindDiagnosis', src: 'remind', input: { card: 'diagnosis' },
            onDone: { target: 'awaitingDiagnosisApproval', actions: { type: 'recordReminder', params: { card: 'diagnosis' } } },
            onError: { target: 'awaitingDiagnosisApproval', actions: { type: 'recordReminder', params: { card: 'diagnosis' } } },
          },
        },
        proposing: {
          description: 'Turn the confirmed diagnosis into a fix made of remediation plugin calls.',
          entry: { type: 'startTimer', params: { timer: 'proposalStep' } },
          invoke: [
            {
              id: 'propose', src: 'propose',
              onDone: [
                { guard: 'hasNoFix', target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'No automatic fix is known' } } },
                { target: 'evaluatingPolicy', actions: 'recordProposal' },
              ],
              onError: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Could not propose a fix' } } },
            },
            {
              id: 'proposalStepTimer', src: 'waitUntil', input: { timer: 'proposalStep' },
              onDone: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Proposing a fix timed out' } } },
            },
          ],
        },
        evaluatingPolicy: {
          description: 'Code, not the model, decides: run now, ask a person, or escalate.',
          invoke: {
            id: 'evaluatePolicy', src: 'evaluatePolicy',
            onDone: [
              { guard: 'policySaysAutoExecute', target: '#incident.remediating', actions: 'recordDecision' },
              { guard: 'policySaysAskApproval', target: 'notifyingProposal', actions: 'recordDecision' },
              {
                target: '#incident.escalating',
                actions: ['recordDecision', { type: 'recordEscalation', params: { reason: 'Policy does not allow this fix' } }],
              },
            ],
            onError: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Policy evaluation failed' } } },
          },
        },
        notifyingProposal: {
          description: 'Post the proposal card with its plan, risk and policy reasons.',
          invoke: {
            id: 'sendProposalCard', src: 'sendProposalCard',
            onDone: {
              target: 'awaitingProposalApproval',
              actions: [
                { type: 'recordCard', params: { card: 'proposal' } },
                { type: 'startTimer', params: { timer: 'proposalApproval' } },
                { type: 'armReminder', params: { card: 'proposal' } },
              ],
              description: 'The deadline starts with the card; a reminder coming back here does not move it.',
            },
            onError: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Could not post the proposal card' } } },
          },
        },
        awaitingProposalApproval: {
          description: 'Parked until enough people the policy named approve the fix, someone rejects it, or the deadline passes.',
          tags: ['parked'],
          invoke: [
            {
              id: 'proposalApprovalTimer', src: 'waitUntil', input: { timer: 'proposalApproval' },
              onDone: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Nobody approved the fix in time' } } },
            },
            { id: 'proposalReminderTimer', src: 'waitUntil', input: { timer: 'reminder', optional: true }, onDone: { target: 'remindingProposal' } },
          ],
          on: {
            'proposal.approved': [
              {
                guard: 'completesProposalApproval',
                target: '#incident.remediating',
                actions: ['collectProposalApproval', { type: 'recordApproval', params: { card: 'proposal' } }],
                description: 'Enough distinct people the policy named have approved.',
              },
              {
                guard: 'addsProposalApproval',
                actions: 'collectProposalApproval',
                description: 'Counted; the fix needs more approvers (critical: two; high and up: not only the requester).',
              },
            ],
            'proposal.rejected': {
              guard: { type: 'isFromCurrentCard', params: { card: 'proposal' } },
              target: '#incident.escalating',
              actions: { type: 'recordEscalation', params: { reason: 'Fix rejected' } },
            },
          },
        },
        remindingProposal: {
          description: 'Nobody answered the fix card: remind the on-call in its thread, then each ESCALATION_CHAIN level; the deadline stays.',
          invoke: {
            id: 'remindProposal', src: 'remind', input: { card: 'proposal' },
            onDone: { target: 'awaitingProposalApproval', actions: { type: 'recordReminder', params: { card: 'proposal' } } },
            onError: { target: 'awaitingProposalApproval', actions: { type: 'recordReminder', params: { card: 'proposal' } } },
          },
        },
      },
    },
    remediating: {
      description: 'Changing systems: runs to completion (each step journaled) before a person may intervene.',
      initial: 'executing',
      states: {
        executing: {
          description: 'Run the fix (or the rollback) one step at a time (machines/fix.machine.ts); each step writes its intent before acting.',
          entry: { type: 'startTimer', params: { timer: 'executionStep' } },
          on: { 'fix.stepped': { actions: 'recordStep', description: 'A step ran: recorded (and persisted) before the next one starts.' } },
          invoke: [
            {
              id: 'fix', src: 'fix',
              onDone: [
                { guard: 'executionWasDryRun', target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Dry run: nothing was changed' } } },
                { guard: 'rollbackSucceeded', target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Rolled back' } } },
                { guard: 'wasRollback', target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'The rollback did not complete' } } },
                { guard: 'executionSucceeded', target: 'verifying' },
                {
                  guard: 'fixCanBeUndone',
                  target: '#incident.open.evaluatingPolicy',
                  actions: { type: 'startRollback', params: { reason: 'Remediation failed' } },
                  description: 'A step failed after others changed something: undo those (policy decides how).',
                },
                { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Remediation failed' } } },
              ],
              onError: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Remediation crashed' } } },
            },
            {
              id: 'executionStepTimer', src: 'waitUntil', input: { timer: 'executionStep' },
              onDone: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Remediation timed out; its effect is unknown' } } },
            },
          ],
        },
        verifying: {
          description: 'Check that the fix worked before calling the incident resolved.',
          entry: { type: 'startTimer', params: { timer: 'verificationStep' } },
          invoke: [
            {
              id: 'verify', src: 'verify',
              onDone: [
                { guard: 'verificationPassed', target: '#incident.resolving', actions: 'recordVerification' },
                {
                  guard: 'fixCanBeUndone',
                  target: '#incident.open.evaluatingPolicy',
                  actions: ['recordVerification', { type: 'startRollback', params: { reason: 'Fix did not verify' } }],
                  description: 'Undo what the fix changed (policy decides how); people get the incident after that.',
                },
                { target: '#incident.escalating', actions: ['recordVerification', { type: 'recordEscalation', params: { reason: 'Fix did not verify' } }] },
              ],
              onError: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Verification failed to run' } } },
            },
            {
              id: 'verificationStepTimer', src: 'waitUntil', input: { timer: 'verificationStep' },
              onDone: { target: '#incident.escalating', actions: { type: 'recordEscalation', params: { reason: 'Verification timed out' } } },
            },
          ],
        },
      },
    },
    resolving: {
      description: 'Announce the resolution in the chat.',
      entry: 'recordResolution',
      invoke: {
        id: 'announceResolution', src: 'announce', input: { outcome: 'resolved' },
        onDone: { target: 'resolved' },
        onError: { target: 'resolved', description: 'A lost announcement does not un-resolve the incident.' },
      },
    },
    resolved: {
      description: 'Fixed and verified, or closed by a person. Closed; within ROLLBACK_WINDOW /rollback may still undo its last fix.',
      tags: ['closed'],
      on: { 'incident.rollback': { guard: 'mayRollBack', target: '#incident.open.evaluatingPolicy', actions: { type: 'startRollback', params: { reason: 'Rolled back by hand' } } } },
    },
    escalating: {
      description: 'Hand the incident to people, saying why.',
      invoke: {
        id: 'announceEscalation', src: 'announce', input: { outcome: 'escalated' },
        onDone: { target: 'escalated' },
        onError: { target: 'escalated', description: 'Escalated all the same; the audit trail records it.' },
      },
    },
    escalated: {
      description: 'Parked with people: they may retry the automation, mark it resolved, or dismiss it.',
      tags: ['parked'],
      on: {
        'incident.retry': { target: '#incident.open.awaitingDiagnosisSlot', actions: 'startRetry' },
        'incident.resolve': { target: 'resolving' },
        'incident.ignore': { target: 'ignored', actions: 'recordResolution' },
        'incident.rollback': { guard: 'mayRollBack', target: '#incident.open.evaluatingPolicy', actions: { type: 'startRollback', params: { reason: 'Rolled back by hand' } } },
        'alert.recovered': [
          { guard: 'mayResolveOnRecovery', target: 'escalatedRecovered', actions: 'recordAlerts', description: 'Every alert recovered: resolve after a quiet period.' },
          { actions: 'recordAlerts' },
        ],
      },
    },
    escalatedRecovered: {
      description: 'Escalated, but every alert has recovered at source: resolves by itself after RECOVERY_QUIET unless one fires again.',
      tags: ['parked'],
      entry: { type: 'startTimer', params: { timer: 'recoveryQuiet' } },
      invoke: { id: 'recoveryQuietTimer', src: 'waitUntil', input: { timer: 'recoveryQuiet' }, onDone: { target: 'recovering', actions: 'recordRecovery' } },
      on: {
        'alert.joined': { target: 'escalated', actions: 'recordAlerts', description: 'It fires again: back with people.' },
        'incident.retry': { target: '#incident.open.awaitingDiagnosisSlot', actions: 'startRetry' },
        'incident.resolve': { target: 'resolving' },
        'incident.ignore': { target: 'ignored', actions: 'recordResolution' },
      },
    },
    recovering: {
      description: 'Every alert recovered at source: say so, and take the buttons off the open card.',
      invoke: {
        id: 'announceRecovery', src: 'announce', input: { outcome: 'recovered' },
        onDone: { target: 'recovered' },
        onError: { target: 'recovered', description: 'Recovered all the same; the audit trail records it.' },
      },
    },
    recovered: {
      description: 'Resolved: recovered at source. Watched for REOPEN_WINDOW: an alert firing again reopens this incident (a flap) rather than a new one.',
      tags: ['parked'],
      entry: { type: 'startTimer', params: { timer: 'reopenWindow' } },
      invoke: { id: 'reopenWindowTimer', src: 'waitUntil', input: { timer: 'reopenWindow' }, onDone: { target: 'resolved' } },
      on: {
        'alert.joined': {
          target: '#incident.open.awaitingDiagnosisSlot',
          actions: ['recordAlerts', 'startReopen'],
          description: 'It flaps: the same incident, a new attempt.',
        },
      },
    },
    ignored: { type: 'final', description: 'Noise, or dismissed by a person.' },
    merged: { type: 'final', description: 'A repeat of an open incident, which now counts it.' },
  },
});

export type IncidentMachine = typeof incidentMachine;

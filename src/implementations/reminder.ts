import { withMentions } from '../chat/core/cards/mentions';
import { groupReminderCard, reminderCard } from '../chat/core/cards/reminder-card';
import type { ReminderFacts } from '../chat/core/cards/reminder-card';
import type { ReminderInput, ReminderOutcome, TimerName } from '../domain';
import { ENGLISH_UTC } from '../i18n';
import { chainLevelMembers, deciderMentions, diagnosisDeciders, proposalDeciders } from '../policy/oncall-mentions';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import type { ReadyContext } from './incident-context';
import { incidentStep } from './incident-step';
import { threadOf } from './thread';
import { sendUrgent } from './urgent';

/** One level of ESCALATION_CHAIN: a roster role, a group (`oc_…`) or a person (`ou_…`), reached `afterMs` after the previous reminder. */
export interface ChainLevel {
  to: string;
  afterMs: number;
}

/** What reminding needs of the implementations' ports. */
export type ReminderDeps = Pick<ImplementationDeps, 'journal' | 'chat' | 'logger' | 'policy' | 'i18n' | 'escalationChain' | 'stormThreads'>;

const APPROVAL_TIMER: Record<ReminderInput['card'], Extract<TimerName, 'diagnosisApproval' | 'proposalApproval'>> = { diagnosis: 'diagnosisApproval', proposal: 'proposalApproval' };

/** Who a reminder reaches: people to @-mention in the card's thread, groups to post in too. */
interface Recipients {
  people: string[];
  groups: string[];
}

/** The first reminder mentions whom the card mentioned (less whoever already approved); a chain level, its own people and groups. */
function recipientsOf({ policy }: ReminderDeps, ctx: ReadyContext, card: ReminderInput['card'], to: string | undefined): Recipients {
  const rules = policy.rules;
  const now = new Date();
  if (to === undefined) {
    const roles = card === 'diagnosis' ? diagnosisDeciders(rules) : ctx.decision ? proposalDeciders(rules, ctx.decision) : [];
    const approved = new Set((ctx.approvals.proposalApprovers ?? []).map((a) => a.by.id));
    return { people: deciderMentions(rules, roles, now).filter((id) => !approved.has(id)), groups: [] };
  }
  const members = chainLevelMembers(rules, to, now);
  return { people: members.filter((m) => m.kind === 'person').map((m) => m.id), groups: members.filter((m) => m.kind === 'chat').map((m) => m.id) };
}

function factsOf(ctx: ReadyContext, input: ReminderInput, level: number, to: string | undefined, recipients: Recipients): ReminderFacts {
  const timer = APPROVAL_TIMER[input.card];
  const deadline = ctx.deadlines[timer] ? new Date(ctx.deadlines[timer]) : undefined;
  const postedAt = deadline ? deadline.getTime() - ctx.timeouts[timer] : Date.now();
  const waitedMinutes = Math.max(1, Math.round((Date.now() - postedAt) / 60_000));
  const nobodyOnCall = recipients.people.length === 0 && recipients.groups.length === 0;
  return { card: input.card, waitedMinutes, deadline, level, to, nobodyOnCall, groups: recipients.groups };
}

/**
 * A reminder of a decision card nobody answered, at its level: 0 is the first (REMIND_AFTER), in the card's thread,
 * mentioning the people the card mentioned; level n is ESCALATION_CHAIN's n-th entry (its role's on-call mentioned,
 * its group posted to as well). Each post is a journaled step keyed by card and level, so it is sent once across
 * restarts and instances. A post that fails is recorded, not retried, and the chain goes on.
 */
export function remind(deps: ReminderDeps) {
  const { journal, chat, logger } = deps;
  const i18n = deps.i18n ?? ENGLISH_UTC;
  const chain = deps.escalationChain ?? [];
  return incidentStep<ReminderOutcome, ReminderInput>(async ({ system, signal, input }) => {
    const ctx = incidentContext(system);
    const level = ctx.reminded?.[input.card] ?? 0;
    const to = level > 0 ? chain[level - 1]?.to : undefined;
    const recipients = recipientsOf(deps, ctx, input.card, to);
    const facts = factsOf(ctx, input, level, to, recipients);
    const outcome = { card: input.card, level, ...(to !== undefined && { to }), mentioned: recipients.people, nextInMs: chain[level]?.afterMs ?? null };
    const step = `reminder-${input.card}-${level}`;
    const messageIds: string[] = [];
    try {
      for (const group of recipients.groups) {
        const card = i18n.both((tr) => groupReminderCard(tr, ctx, facts));
        messageIds.push((await journal.run(stepKey(ctx, `${step}-${group}`), signal, (key) => chat.postCard(group, card, key))).messageId);
      }
      const card = i18n.both((tr) => withMentions(reminderCard(tr, ctx, facts), recipients.people));
      const replyTo = (await threadOf(deps, ctx)) ?? ctx.cards[input.card];
      const sent = await journal.run(stepKey(ctx, step), signal, (key) => chat.postCard(ctx.chatId, card, key, { replyTo }));
      messageIds.unshift(sent.messageId);
      // A chain level is an escalation: at high or critical it also sends Lark's urgent notification, as escalating does.
      if (level > 0) await sendUrgent(deps, ctx, sent.messageId, signal, { people: recipients.people, step: `${step}-urgent` });
      return { ...outcome, messageIds };
    } catch (error) {
      if (signal.aborted) throw error;
      logger.warn({ err: error, incidentId: ctx.incidentId, card: input.card, level }, 'could not send a reminder');
      return { ...outcome, messageIds, failed: error instanceof Error ? error.message : String(error) };
    }
  });
}

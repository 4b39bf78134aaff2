import type { Logger } from 'pino';
import { z } from 'zod';
import { runClaimed } from '../../chat/core/claimed-work';
import { executeCommand } from '../../chat/core/commands';
import { WEB_CHAT_ID } from '../../chat/web/web-chat';
import { WEB_CHANNEL } from '../../chat/web/web-inbound';
import type { ReplayTarget } from '../../intake/delivery-replayer';
import type { DecisionAccess } from '../../policy/access';
import type { IncidentService } from '../../runtime/incident-service';
import type { InboundStore, UnfinishedDelivery } from '../../store/inbound-store';
import type { Route } from '../../http/route';
import type { LoopbackTrust } from './console-auth';
import { consoleRoute, parseBody } from './console-routes';
import { ActionInput, commandFor } from './incident-actions';
import type { ChatLanguages } from '../../chat/core/chat-languages';

/** What an incident-page click keeps with its claim, for the web channel's replayer. */
export const PAGE_ACTION_KIND = 'page-action';

/** The click as kept: who clicked travels with it, so a replay on another instance decides as them. */
const KeptAction = ActionInput.extend({ by: z.string().min(1).max(200) }).strict();
type KeptAction = z.infer<typeof KeptAction>;

export interface PageActionAnswer {
  /** What the command answered, or that this click was taken already: in the page's language. */
  reply: string;
  /** True for a repeated POST of a click already taken: nothing was done again. */
  repeated: boolean;
}

export interface IncidentPageActionsOptions {
  service: IncidentService;
  decisions: DecisionAccess;
  /** Who is at the console: the decisions are theirs. */
  user: string;
  inbound: InboundStore;
  logger: Logger;
  /** The console chat's language: decisions are answered in it. */
  languages: ChatLanguages;
  /** A claim not heartbeaten for this long is presumed abandoned (tests shorten it). */
  staleClaimMs?: number;
}

/**
 * The incident page's decision buttons, with the guarantee chat clicks have: each click is claimed under
 * its client-chosen id before it is applied, so a retried POST is applied once, and a click whose
 * instance died mid-way is applied by the web channel's replayer (`replay`).
 */
export class IncidentPageActions implements ReplayTarget {
  constructor(private readonly options: IncidentPageActionsOptions) {}

  apply(input: ActionInput): Promise<PageActionAnswer> {
    return this.run({ ...input, by: this.options.user }, false);
  }

  /** False for what is not a page click (the web chat's own messages and clicks). */
  async replay({ replay }: UnfinishedDelivery): Promise<boolean> {
    if (replay.kind !== PAGE_ACTION_KIND) return false;
    const kept = KeptAction.safeParse(replay.data);
    if (!kept.success) return false;
    await this.run(kept.data, true);
    return true;
  }

  private async run(kept: KeptAction, replaying: boolean): Promise<PageActionAnswer> {
    const { inbound, logger, staleClaimMs, service, decisions, languages } = this.options;
    // The page's language when it sent one, else the console chat's (`/lang`, else LANGUAGE).
    const tr = kept.language ? languages.i18n.translator(kept.language) : await languages.translatorFor(WEB_CHAT_ID);
    const replay = { channel: WEB_CHANNEL, kind: PAGE_ACTION_KIND, data: kept };
    const outcome = await runClaimed({ inbound, logger, staleAfterMs: staleClaimMs, replaying }, pageActionKey(kept.id), replay, () => {
      const ctx = { service, sender: { id: kept.by }, chatId: WEB_CHAT_ID, messageId: `console-page-${kept.id}`, access: decisions, tr };
      return executeCommand(commandFor(kept), ctx);
    });
    if (outcome.first) return { reply: outcome.value, repeated: false };
    return { reply: tr.t('chat.pageAction.repeated'), repeated: true };
  }
}

/** The inbound claim of one incident-page click. */
export const pageActionKey = (id: string) => `web:action:${id}`;

/** The web channel's replayer target: page clicks go to `actions`, the rest to the web chat. */
export function withPageActions(chat: ReplayTarget, actions: IncidentPageActions): ReplayTarget {
  return { replay: (delivery) => (delivery.replay.kind === PAGE_ACTION_KIND ? actions.replay(delivery) : chat.replay(delivery)) };
}

/** POST /incident/action: a button on the incident page, run as the command it stands for, once per click id. */
export function incidentActionRoute(access: LoopbackTrust, actions: IncidentPageActions): Route {
  return consoleRoute(access, 'POST', '/incident/action', async (request) => {
    const input = parseBody(request, ActionInput);
    if (!input.ok) return input.response;
    return { status: 200, body: await actions.apply(input.value) };
  });
}

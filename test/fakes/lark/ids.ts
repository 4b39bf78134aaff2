import { randomBytes } from 'node:crypto';

/** Identifiers shaped like Lark's, so code that checks prefixes or lengths sees realistic values. */

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** The WSClient refuses app ids that do not match /^cli_[0-9a-fA-F]{16}$/. */
export const newAppId = (): string => `cli_${hex(8)}`;
export const newAppSecret = (): string => hex(16);
export const newTenantToken = (): string => `t-${hex(20)}`;
export const newMessageId = (): string => `om_${hex(16)}`;
export const newThreadId = (): string => `omt_${hex(8)}`;
export const newChatId = (): string => `oc_${hex(16)}`;
export const newOpenId = (): string => `ou_${hex(16)}`;
export const newEventId = (): string => hex(16);
export const newReactionId = (): string => randomBytes(18).toString('base64url');
export const newTenantKey = (): string => hex(8);
export const newTraceId = (): string => hex(8);

/**
 * Every message a person reads, in every language, by key. Each area keeps its own table (messages/*.ts);
 * keys are prefixed by area, and a test fails when two areas use one key or a message does not parse.
 */
import { cardsMessages } from './messages/cards';
import { chatMessages } from './messages/chat';
import { commandsMessages } from './messages/commands';
import { commonMessages } from './messages/common';
import { consoleMessages } from './messages/console';
import { policyMessages } from './messages/policy';
import { remindersMessages } from './messages/reminders';
import { summaryMessages } from './messages/summary';

export const CATALOG_PARTS = {
  common: commonMessages,
  cards: cardsMessages,
  chat: chatMessages,
  commands: commandsMessages,
  console: consoleMessages,
  policy: policyMessages,
  reminders: remindersMessages,
  summary: summaryMessages,
} as const;

export const CATALOG = {
  ...commonMessages,
  ...cardsMessages,
  ...chatMessages,
  ...commandsMessages,
  ...consoleMessages,
  ...policyMessages,
  ...remindersMessages,
  ...summaryMessages,
} as const;

export type MessageKey = keyof typeof CATALOG;

import type { MessageTable } from '../message-table';

/** Words and formats used across the chat, the cards and the console. */
export const commonMessages = {
  'time.when': { en: '{at, date, when}', 'zh-CN': '{at, date, when}' },
  'time.full': { en: '{at, date, full}', 'zh-CN': '{at, date, full}' },
} as const satisfies MessageTable;

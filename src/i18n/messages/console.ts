import type { MessageTable } from '../message-table';

/** The console messages. */
export const consoleMessages = {} as const satisfies MessageTable;

import type { MessageTable } from '../message-table';

/** The chat messages. */
export const chatMessages = {} as const satisfies MessageTable;

import type { MessageTable } from '../message-table';

/** The commands messages. */
export const commandsMessages = {} as const satisfies MessageTable;

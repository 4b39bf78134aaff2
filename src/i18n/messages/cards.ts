import type { MessageTable } from '../message-table';

/** The cards messages. */
export const cardsMessages = {} as const satisfies MessageTable;

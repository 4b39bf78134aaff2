import type { MessageTable } from '../message-table';

/** The policy messages. */
export const policyMessages = {} as const satisfies MessageTable;

import { USAGE, usageOf } from './command-usage';
import type { CommandName } from './command-usage';

const USAGE_WIDTH = Math.max(...Object.keys(USAGE).map((name) => usageOf(name as CommandName).length));

export const HELP_TEXT = [
  'Commands:',
  ...Object.entries(USAGE).map(([name, usage]) => `  ${usageOf(name as CommandName).padEnd(USAGE_WIDTH)}  ${usage.does}`),
].join('\n');

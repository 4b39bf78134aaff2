import type { TokenUsage } from './llm-port';

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/**
 * List prices by model family, longest prefix first; LLM_PRICE_INPUT / LLM_PRICE_OUTPUT override them
 * (set both for a model not listed). A model matching nothing has no cost recorded rather than a wrong one.
 */
const KNOWN: [prefix: string, price: Price][] = [
  ['claude-opus-4-1', { input: 15, output: 75 }],
  ['claude-opus', { input: 5, output: 25 }],
  ['claude-sonnet', { input: 3, output: 15 }],
  ['claude-haiku', { input: 1, output: 5 }],
  ['gpt-4o-mini', { input: 0.15, output: 0.6 }],
  ['gpt-4o', { input: 2.5, output: 10 }],
  ['gpt-4.1-mini', { input: 0.4, output: 1.6 }],
  ['gpt-4.1', { input: 2, output: 8 }],
];

export function priceOf(model: string, override?: Partial<Price>): Price | undefined {
  const known = KNOWN.find(([prefix]) => model.startsWith(prefix))?.[1];
  const input = override?.input ?? known?.input;
  const output = override?.output ?? known?.output;
  return input !== undefined && output !== undefined ? { input, output } : undefined;
}

/** Undefined when the model's price is unknown: an unknown cost is not a zero cost. */
export function costOf(usage: TokenUsage, price: Price | undefined): number | undefined {
  if (!price) return undefined;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}

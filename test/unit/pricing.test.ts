import { describe, expect, it } from 'vitest';
import { costOf, priceOf } from '../../src/diagnosis/pricing';

describe('LLM pricing', () => {
  it('prices known model families and lets configuration override either side', () => {
    expect(priceOf('claude-sonnet-5-5')).toEqual({ input: 3, output: 15 });
    expect(priceOf('claude-sonnet-5-5', { input: undefined, output: undefined })).toEqual({ input: 3, output: 15 });
    expect(priceOf('claude-sonnet-5-5', { output: 12 })).toEqual({ input: 3, output: 12 });
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 100_000 }, priceOf('claude-sonnet-5-5'))).toBeCloseTo(4.5);
  });

  it('records no cost, not a wrong one, for a model it does not know', () => {
    expect(priceOf('llama3.1:8b')).toBeUndefined();
    expect(priceOf('llama3.1:8b', { input: 0.1 })).toBeUndefined();
    expect(priceOf('llama3.1:8b', { input: 0, output: 0 })).toEqual({ input: 0, output: 0 });
    expect(costOf({ inputTokens: 10, outputTokens: 10 }, undefined)).toBeUndefined();
  });
});

/**
 * Code where the editor wants a name: an inline function, an actor logic object, a call such as `and(...)`.
 * On the chart side it is the runtime value; on the imported side, the extractor's `{{code}}` text.
 */
export class CodeRef {
  constructor(
    /** `builtin`: an action creator the editor shows as a block (assign, raise, log, sendTo, stop). */
    readonly kind: 'inline' | 'builtin',
    readonly text: string,
    /** A builtin whose payload is code (an assign with functions) is as inline as a bare function. */
    readonly hasCode: boolean,
  ) {}
}

/** The extractor writes code it cannot import as data as a `{{...}}` expression string. */
export const isExpressionString = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith('{{') && value.endsWith('}}');

export function containsExpression(value: unknown): boolean {
  if (isExpressionString(value)) return true;
  if (Array.isArray(value)) return value.some(containsExpression);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsExpression);
  return false;
}

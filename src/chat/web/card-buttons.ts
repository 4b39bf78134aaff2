/** A click's value, as the browser sends it back. */
export interface ClickedValue {
  incidentId: string;
  action: string;
  kind?: string;
  attempt?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(value: unknown, clicked: ClickedValue): boolean {
  if (!isRecord(value)) return false;
  return value.incidentId === clicked.incidentId && value.action === clicked.action && value.kind === clicked.kind && value.attempt === clicked.attempt;
}

/** Every callback value on a card JSON 2.0 (buttons sit inside column sets). */
function* callbackValues(element: unknown): Generator<unknown> {
  if (Array.isArray(element)) {
    for (const item of element) yield* callbackValues(item);
    return;
  }
  if (!isRecord(element)) return;
  if (element.tag === 'button' && Array.isArray(element.behaviors)) {
    for (const behavior of element.behaviors) if (isRecord(behavior) && behavior.type === 'callback') yield behavior.value;
  }
  yield* callbackValues(element.columns);
  yield* callbackValues(element.elements);
}

/**
 * Whether the stored card shows a button with exactly this value. A browser can post anything; only
 * a button the bot put on that card is a click (anything else is what a typed command is for).
 */
export function buttonOnCard(card: Record<string, unknown>, clicked: ClickedValue): boolean {
  const body = isRecord(card.body) ? card.body.elements : undefined;
  for (const value of callbackValues(body)) if (sameValue(value, clicked)) return true;
  return false;
}

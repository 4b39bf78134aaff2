import { isRecord, parseJson } from './http-io';

/**
 * What Lark checks in a message's `content` before accepting it, to the extent tests need: content is a
 * JSON string, text has `text`, a card stays under 30 KB, and a JSON 2.0 card uses only 2.0 components
 * (the 1.0 `action` and `note` modules are gone) with valid header colours and button types.
 */

export type ContentCheck =
  | { ok: true; msgType: string; content: unknown }
  | { ok: false; code: number; msg: string };

const CARD_MAX_BYTES = 30 * 1024;
const TEXT_MAX_BYTES = 150 * 1024;
const HEADER_TEMPLATES = new Set([
  'blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default',
]);
const BUTTON_TYPES = new Set([
  'default', 'primary', 'danger', 'text', 'laser', 'primary_text', 'primary_filled', 'danger_text', 'danger_filled',
]);
const REMOVED_IN_V2 = new Set(['action', 'note']);

const invalid = (code: number, msg: string): ContentCheck => ({ ok: false, code, msg });
const cardError = (detail: string): ContentCheck => invalid(230099, `Failed to create card content, ext=ErrMsg: ${detail}`);

export function validateContent(msgType: unknown, content: unknown): ContentCheck {
  if (typeof msgType !== 'string' || !msgType) return invalid(99992402, 'field validation failed: msg_type is required');
  if (typeof content !== 'string') return invalid(99992402, 'field validation failed: content must be a JSON string');
  const parsed = parseJson(content);
  if (!isRecord(parsed)) return invalid(230001, 'invalid message content: not a JSON object');
  const bytes = Buffer.byteLength(content, 'utf8');
  if (msgType === 'text') {
    if (typeof parsed.text !== 'string' || !parsed.text) return invalid(230001, 'invalid message content: text is required');
    if (bytes > TEXT_MAX_BYTES) return invalid(230025, 'The length of the message content reaches its limit.');
  }
  if (msgType === 'interactive') {
    if (bytes > CARD_MAX_BYTES) return invalid(230025, `The length of the message content reaches its limit (${bytes} bytes).`);
    const problem = cardProblem(parsed);
    if (problem) return cardError(problem);
  }
  return { ok: true, msgType, content: parsed };
}

function cardProblem(card: Record<string, unknown>): string | undefined {
  const template = isRecord(card.header) ? card.header.template : undefined;
  if (template !== undefined && (typeof template !== 'string' || !HEADER_TEMPLATES.has(template))) {
    return `unknown header template ${JSON.stringify(template)}`;
  }
  if (card.schema !== '2.0') return undefined;
  const body = card.body;
  if (!isRecord(body) || !Array.isArray(body.elements)) return 'schema 2.0 cards need body.elements';
  return elementsProblem(body.elements);
}

function elementsProblem(elements: unknown[]): string | undefined {
  for (const element of elements) {
    if (!isRecord(element) || typeof element.tag !== 'string') return 'every element needs a tag';
    if (REMOVED_IN_V2.has(element.tag)) return `cards of schema V2 no longer support the ${element.tag} component`;
    if (element.tag === 'button') {
      const problem = buttonProblem(element);
      if (problem) return problem;
    }
    const nested = nestedElements(element);
    const problem = nested ? elementsProblem(nested) : undefined;
    if (problem) return problem;
  }
  return undefined;
}

function buttonProblem(button: Record<string, unknown>): string | undefined {
  const { type } = button;
  if (type !== undefined && (typeof type !== 'string' || !BUTTON_TYPES.has(type))) return `unknown button type ${JSON.stringify(type)}`;
  if (!isRecord(button.text) || typeof button.text.content !== 'string') return 'a button needs text.content';
  if (button.behaviors !== undefined && !Array.isArray(button.behaviors)) return 'button behaviors must be a list';
  return undefined;
}

/** Children of containers (column sets, columns, panels, forms). */
function nestedElements(element: Record<string, unknown>): unknown[] | undefined {
  if (Array.isArray(element.columns)) return element.columns.flatMap((column) => (isRecord(column) ? [column] : [null]));
  const children: unknown = element.elements;
  if (Array.isArray(children)) return children as unknown[];
  return undefined;
}

import { FlatMessageBuilder, type FlatMessage } from './flat-message';
import { LIMITS, isRecord, stringOf } from './limits';
import { markdownToPlain } from './markdown';

/**
 * The card JSON a tool posted (schema 1.0 or 2.0), or the `{json_card: "<string>"}` form of
 * `card_msg_content_type=raw_card_content`, as plain lines.
 */
export function flattenCard(card: unknown): FlatMessage | undefined {
  const parsed = parseCard(card);
  if (!parsed) return undefined;
  const builder = new FlatMessageBuilder();
  const header = isRecord(parsed.header) ? parsed.header : {};
  builder.heading = textOf(header.title, builder);
  const subtitle = textOf(header.subtitle, builder);
  if (subtitle) builder.addText(subtitle);
  if (Array.isArray(header.text_tag_list)) {
    for (const tag of header.text_tag_list) if (isRecord(tag)) builder.badges.push(textOf(tag.text, builder));
  }
  const body = isRecord(parsed.body) ? parsed.body : {};
  const i18n = isRecord(parsed.i18n_elements) ? parsed.i18n_elements : {};
  const elements = parsed.elements ?? body.elements ?? i18n.zh_cn ?? i18n.en_us;
  walk(elements, builder, 0);
  return builder.build();
}

export function looksLikeCard(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if ('json_card' in value || 'schema' in value || 'header' in value || 'body' in value) return true;
  return Array.isArray(value.elements) && value.elements.some((element) => isRecord(element));
}

function parseCard(card: unknown): Record<string, unknown> | undefined {
  let value = card;
  for (let unwrap = 0; unwrap < 3; unwrap += 1) {
    if (typeof value === 'string') value = parseJson(value);
    else if (isRecord(value) && typeof value.json_card === 'string') value = parseJson(value.json_card);
    else if (isRecord(value) && isRecord(value.card)) value = value.card;
    else break;
  }
  return isRecord(value) ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A text object (`{tag: 'lark_md' | 'plain_text', content}`) or a bare string, as plain text. */
function textOf(value: unknown, builder: FlatMessageBuilder): string {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return '';
  const content = stringOf(value.content) || stringOf(value.text);
  const tag = stringOf(value.tag);
  return tag === 'lark_md' || tag === 'markdown' ? markdownToPlain(content, (link) => builder.addLink(link)) : content;
}

function walk(node: unknown, builder: FlatMessageBuilder, depth: number): void {
  if (depth > LIMITS.jsonDepth) return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, builder, depth + 1);
    return;
  }
  if (!isRecord(node)) return;
  const tag = stringOf(node.tag);
  switch (tag) {
    case 'hr':
      builder.addDivider();
      return;
    case 'img':
    case 'image':
      return;
    case 'markdown':
    case 'lark_md':
    case 'plain_text':
      builder.addText(textOf(node, builder));
      return;
    case 'note':
      builder.addText(noteText(node, builder));
      return;
    case 'button': {
      builder.addText(textOf(node.text, builder));
      const multiUrl = isRecord(node.multi_url) ? node.multi_url : {};
      const href = stringOf(node.url) || stringOf(multiUrl.url);
      if (href) builder.addLink({ text: textOf(node.text, builder), href });
      return;
    }
    case 'collapsible_panel': {
      const header = isRecord(node.header) ? node.header : {};
      builder.addText(textOf(header.title, builder));
      break;
    }
    default:
      break;
  }
  if (node.text !== undefined) {
    const text = textOf(node.text, builder);
    if (text) builder.addText(text);
  }
  for (const key of ['fields', 'elements', 'columns', 'actions', 'extra'] as const) {
    const child = node[key];
    if (key === 'fields' && Array.isArray(child)) {
      for (const field of child) if (isRecord(field)) builder.addText(textOf(field.text, builder));
    } else if (child !== undefined && child !== null) {
      walk(child, builder, depth + 1);
    }
  }
}

function noteText(node: Record<string, unknown>, builder: FlatMessageBuilder): string {
  if (!Array.isArray(node.elements)) return '';
  return node.elements
    .filter((element) => isRecord(element) && element.tag !== 'img')
    .map((element) => textOf(element, builder))
    .filter(Boolean)
    .join(' ');
}

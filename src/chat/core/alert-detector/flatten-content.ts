import { FlatMessageBuilder, flatText, type FlatMessage } from './flat-message';
import { flattenCard, looksLikeCard } from './flatten-card';
import { LIMITS, isRecord, stringOf } from './limits';
import { markdownToPlain } from './markdown';

/** What the list API returns for a card 2.0 message instead of its content. */
const CARD_PLACEHOLDER = /请升级至最新版本客户端|please upgrade to the latest version/i;

/**
 * Message content as plain lines. The content the list API returned is preferred; the card as sent
 * is read only when that content is a placeholder or empty (card 2.0), because it is what we have.
 */
export function flattenMessage(content: unknown, cardAsSent: unknown): FlatMessage | undefined {
  const fromContent = flattenContent(typeof content === 'string' ? parseJsonOr(content) : content);
  if (fromContent && !isPlaceholder(fromContent)) return fromContent;
  const fromCard = cardAsSent === undefined ? undefined : flattenCard(cardAsSent);
  return fromCard && !isPlaceholder(fromCard) ? fromCard : undefined;
}

function isPlaceholder(message: FlatMessage): boolean {
  const text = flatText(message).trim();
  return text === '' || (CARD_PLACEHOLDER.test(text) && text.length < 120);
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { text };
  }
}

function flattenContent(content: unknown): FlatMessage | undefined {
  if (!isRecord(content)) return undefined;
  if (looksLikeCard(content)) return flattenCard(content);
  const post = unwrapPost(content);
  const builder = new FlatMessageBuilder();
  builder.heading = stringOf(post.title);
  const rows = Array.isArray(post.content) ? post.content : Array.isArray(post.elements) ? post.elements : undefined;
  if (rows) {
    for (const row of rows) {
      if (builder.full) break;
      builder.addText(renderRow(Array.isArray(row) ? row : [row], builder));
    }
  } else if (typeof post.text === 'string') {
    builder.addText(markdownToPlain(post.text, (link) => builder.addLink(link)));
  } else {
    return undefined;
  }
  return builder.build();
}

/** A post as sent wraps its body in a locale (`{zh_cn: {...}}`); the list API does not. */
function unwrapPost(content: Record<string, unknown>): Record<string, unknown> {
  const inner = isRecord(content.post) ? content.post : content;
  for (const locale of ['zh_cn', 'en_us', 'ja_jp']) {
    const localised = inner[locale];
    if (isRecord(localised)) return localised;
  }
  return inner;
}

/**
 * One row of simplified nodes (`text`, `a`, `at`, `hr`, `note`, `button`…) as text. Lark splits bold
 * runs into separate nodes, which loses the line breaks around a bold key and between glued records,
 * so a break is put back where a key or a link is glued to the text before it.
 */
function renderRow(nodes: readonly unknown[], builder: FlatMessageBuilder): string {
  let out = '';
  for (let index = 0; index < nodes.length && out.length < LIMITS.flatText; index += 1) {
    const node = nodes[index];
    if (!isRecord(node)) continue;
    const piece = renderNode(node, builder);
    if (!piece) continue;
    if (needsBreakBefore(out, node, nodes[index + 1])) out += '\n';
    out += piece;
  }
  return markdownToPlain(out, (link) => builder.addLink(link));
}

function renderNode(node: Record<string, unknown>, builder: FlatMessageBuilder): string {
  switch (stringOf(node.tag)) {
    case 'a':
      builder.addLink({ text: stringOf(node.text), href: stringOf(node.href) });
      return stringOf(node.text);
    case 'hr':
      return '\n---\n';
    case 'note': {
      const parts = Array.isArray(node.elements) ? node.elements.filter(isRecord).map((child) => renderNode(child, builder)) : [];
      return `\n${parts.filter(Boolean).join(' ')}\n`;
    }
    case 'button':
      return isRecord(node.text) ? stringOf(node.text.content) : stringOf(node.text);
    case 'at':
    case 'img':
    case 'media':
    case 'emotion':
    case 'select_static':
    case 'select_person':
    case 'overflow':
    case 'date_picker':
      return '';
    default:
      return stringOf(node.text);
  }
}

function needsBreakBefore(out: string, node: Record<string, unknown>, next: unknown): boolean {
  if (!out || /\s$/.test(out)) return false;
  const lastLine = out.slice(out.lastIndexOf('\n') + 1);
  if (/^\s*(?:[-•*]\s*)?$/.test(lastLine)) return false;
  if (node.tag === 'a') return true;
  return node.tag === 'text' && isSplitKey(stringOf(node.text), next);
}

/** A short text node that is a bold key: it ends with a colon, or the next node starts with one. */
function isSplitKey(text: string, next: unknown): boolean {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > 40 || trimmed.includes('\n')) return false;
  if (/[:：]$/.test(trimmed)) return true;
  return isRecord(next) && /^[:：]/.test(stringOf(next.text));
}

import { isRecord } from './http-io';
import type { StoredMessage } from './message-store';

/**
 * What the message list/get APIs show as a message's `body.content`. Lark does not return a card's
 * JSON: 1.0 cards come back simplified to `{title, elements:[[node…]…]}`, and JSON 2.0 cards only as a
 * placeholder telling the reader to upgrade their client. Seeded messages are stored in that shape already.
 */

const UPGRADE_PLACEHOLDER = {
  title: null,
  elements: [
    [
      { tag: 'img', image_key: 'img_v3_02ad_placeholder' },
      { tag: 'text', text: '请升级至最新版本客户端，以查看内容' },
      { tag: 'text', text: '' },
    ],
  ],
};

function textOf(node: unknown): string {
  if (!isRecord(node)) return '';
  if (typeof node.content === 'string') return node.content;
  if (isRecord(node.text)) return textOf(node.text);
  return '';
}

/** A 1.0 card reduced to the list API's rows of text nodes. */
function simplifiedCard(card: Record<string, unknown>): unknown {
  const header = isRecord(card.header) ? card.header : {};
  const elements = Array.isArray(card.elements) ? card.elements : [];
  const rows = elements.map((element) => {
    if (isRecord(element) && element.tag === 'hr') return [{ tag: 'hr' }];
    return [{ tag: 'text', text: textOf(element) }];
  });
  return { title: textOf(header.title), elements: rows };
}

export function listContentOf(message: StoredMessage): unknown {
  const { content } = message;
  if (message.msgType === 'post' && isRecord(content) && isRecord(content.zh_cn)) return content.zh_cn;
  if (message.msgType !== 'interactive' || !isRecord(content)) return content;
  if (content.schema === '2.0') return UPGRADE_PLACEHOLDER;
  if (Array.isArray(content.elements) && content.elements.every((row) => Array.isArray(row))) return content;
  return simplifiedCard(content);
}

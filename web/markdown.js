// @ts-check
import { h } from './dom.js';

/**
 * Lark card markdown as DOM nodes: quote lines, **bold**, `code` and http(s) links. Everything else,
 * the HTML entities Lark uses for literal syntax characters included, ends up as text; no markup
 * from the message is ever parsed as HTML.
 */

const NAMED = /** @type {Record<string, string>} */ ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' });

/** `&#42;` → `*`: Lark's way of showing a syntax character literally. @param {string} text */
export function decodeEntities(text) {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,6}));/gi, entity);
}

/** @param {string} match @param {string | undefined} dec @param {string | undefined} hex @param {string | undefined} name */
function entity(match, dec, hex, name) {
  const digits = dec ?? hex;
  if (digits !== undefined) {
    const code = parseInt(digits, dec !== undefined ? 10 : 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  }
  return NAMED[(name ?? '').toLowerCase()] ?? match;
}

const INLINE = /\*\*(.+?)\*\*|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g;

/** @param {string} line @returns {Node[]} */
function inline(line) {
  /** @type {Node[]} */
  const nodes = [];
  let last = 0;
  for (const match of line.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) nodes.push(document.createTextNode(decodeEntities(line.slice(last, index))));
    const [, bold, code, label, url] = match;
    if (bold !== undefined) nodes.push(h('strong', {}, ...inline(bold)));
    else if (code !== undefined) nodes.push(h('code', {}, decodeEntities(code)));
    else if (label !== undefined && url !== undefined) nodes.push(h('a', { href: decodeEntities(url), target: '_blank', rel: 'noopener noreferrer' }, decodeEntities(label)));
    last = index + match[0].length;
  }
  if (last < line.length) nodes.push(document.createTextNode(decodeEntities(line.slice(last))));
  return nodes;
}

/** @param {string} markdown @returns {DocumentFragment} */
export function renderMarkdown(markdown) {
  const fragment = document.createDocumentFragment();
  /** @type {HTMLElement | null} */
  let quote = null;
  for (const line of markdown.split('\n')) {
    const quoted = /^>\s?(.*)$/.exec(line);
    if (quoted) {
      quote ??= fragment.appendChild(h('blockquote'));
      quote.appendChild(h('div', {}, ...inline(quoted[1] ?? '')));
      continue;
    }
    quote = null;
    fragment.appendChild(line.trim() === '' ? h('div', { class: 'gap' }) : h('div', {}, ...inline(line)));
  }
  return fragment;
}

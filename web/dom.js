// @ts-check
import { relative, t, when } from './i18n.js';

/**
 * Builds elements from data. Text always goes in as text nodes, never as markup: alert and tool
 * text is untrusted, and nothing in this console parses HTML from data.
 */

/** @typedef {string | number | Node | null | undefined | false} Child */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | ((event: Event) => void) | undefined>} [attributes] `on…` are listeners; the rest are attributes.
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

/**
 * @param {Node} parent
 * @param {(Child | Child[])[]} children
 */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** @param {Node} node @param {...(Child | Child[])} children */
export function replaceChildren(node, ...children) {
  while (node.firstChild) node.removeChild(node.firstChild);
  append(node, children);
}

/** How long ago (or how soon), in the chosen language: "3 分钟前" / "3 minutes ago". @param {string} iso */
export function ago(iso) {
  return relative(iso);
}

/** A moment in the server's time zone (TIMEZONE): "12月7日 14:05" / "Dec 7, 14:05". @param {string} iso */
export function clock(iso) {
  return when(iso);
}

/** A link inside the console (hash routes), with the id encoded. @param {string} incidentId */
export function incidentHref(incidentId) {
  return `#/incidents/${encodeURIComponent(incidentId)}`;
}

/** How long a toast stays; errors a little longer, to be read. */
const TOAST_MS = { error: 8000, other: 5000 };
/** More than this many at once: the oldest go first. */
const MAX_TOASTS = 3;

/**
 * Shows a short message under the top bar (never over the composer). It goes away by itself; a click
 * dismisses it sooner. @param {string} type @param {string} text
 */
export function toast(type, text) {
  const box = document.getElementById('toasts');
  if (!box) return;
  const item = h('div', { class: `toast ${type}`, role: 'status', title: t('console.toast.dismiss'), onclick: () => item.remove() }, text);
  box.appendChild(item);
  while (box.children.length > MAX_TOASTS) box.firstElementChild?.remove();
  setTimeout(() => item.remove(), type === 'error' ? TOAST_MS.error : TOAST_MS.other);
}

import type { FlatLink } from './flat-message';
import { LIMITS } from './limits';

/**
 * Lark Markdown (`lark_md`, `markdown`) to plain text. Links keep their text; their targets are
 * reported separately because silence links carry the alert's labels.
 */
export function markdownToPlain(markdown: string, onLink: (link: FlatLink) => void): string {
  // Bounded repeats and a capped input keep these patterns linear on hostile text.
  const text = markdown
    .slice(0, LIMITS.flatText)
    .replace(/<at\b[^>\n]{0,500}>[^<\n]{0,500}<\/at>/gi, '')
    .replace(/<at\b[^>\n]{0,500}>/gi, '')
    .replace(/<\/?(?:font|text_tag|b|i|u|s|strong|em|span|local_datetime|link|br)\b[^>\n]{0,500}>/gi, '')
    .replace(/!\[[^\]\n]{0,500}\]\([^)\s]{0,4000}\)/g, '')
    .replace(/\[([^\]\n]{0,500})\]\(([^)\s]{1,4000})\)/g, (_match, label: string, href: string) => {
      onLink({ text: label, href });
      return label;
    })
    // Two bold spans with nothing between them are two records glued together (PrometheusAlert split=false).
    .replace(/\*{4}/g, '\n')
    .replace(/\*\*|~~|`/g, '');
  return text.split('\n').map(stripLineMarkup).join('\n');
}

/** Heading marks, quotes, bullets made of asterisks and `*italic*`. */
export function stripLineMarkup(line: string): string {
  return line
    .replace(/^\s*#{1,6}\s+/, '')
    .replace(/^\s*(?:>\s?)+/, '')
    .replace(/^\s*\*+\s+/, '')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]{0,500}?\S)\*(?![\w*])/g, '$1$2');
}

import type { AlertInput } from '../../domain';
import { parseTextAlert } from './alert-detector/text-alert';
import type { ChatMessage } from './chat-message';

/** What the AlertDetector found in a message (its details are not needed past it). */
export type AlertDetection = { isAlert: false; reason: string } | { isAlert: true; alerts: AlertInput[] };

/** The AlertDetector's source when no known tool is recognised. */
const DETECTOR_FALLBACK_SOURCE = 'lark';
/** AlertSchema's cap on `raw`. */
const MAX_RAW = 20_000;

/**
 * The detector's reading of a message, the same on every chat (issue 19, bug 3):
 *  - one line a person typed is read by the line parser, so the same line gives the same title
 *    (`checkout returns 503`, not `… service=checkout`) and keeps what was sent (`<b>` included);
 *  - alerts read with no known tool say they came from this chat (`source`), not from Lark;
 *  - a typed message's raw text is what was sent (the detector's raw has markup such as `<b>` dropped).
 * Whether it is an alert at all stays the detector's call (a person's chatter is not an alert), except
 * for one typed JSON object the line parser takes as a whole alert (`{"title": …, "severity": …}`, as
 * people pipe into the terminal): that is never chatter.
 */
export function readTypedAlerts(detection: AlertDetection, sentText: string | null, source: string): AlertDetection {
  if (!detection.isAlert) {
    const typedJson = sentText !== null && sentText.trimStart().startsWith('{') ? lineAlert(sentText, source) : null;
    return typedJson ? { isAlert: true, alerts: [typedJson] } : detection;
  }
  const typedLine = sentText !== null && !sentText.includes('\n') && detection.alerts.length === 1 ? lineAlert(sentText, source) : null;
  if (typedLine) return { ...detection, alerts: [typedLine] };
  return { ...detection, alerts: detection.alerts.map((alert) => withSource(alert, sentText, source)) };
}

/** What a person typed as text, as they typed it: null for a bot's messages and for cards (the detector reads those). */
export function sentText(message: ChatMessage): string | null {
  return message.sender.kind === 'user' && message.msgType === 'text' ? message.text : null;
}

function lineAlert(text: string, source: string): AlertInput | null {
  try {
    return parseTextAlert(text, source);
  } catch {
    return null; // The line parser refuses it; the detector's reading stands.
  }
}

/** The source, and the raw text as sent: the detector's raw is its flattened reading (markup dropped). */
function withSource(alert: AlertInput, sentText: string | null, source: string): AlertInput {
  const named = alert.source === DETECTOR_FALLBACK_SOURCE ? source : alert.source;
  const raw = sentText === null ? alert.raw : sentText.slice(0, MAX_RAW);
  return { ...alert, source: named, ...(raw === undefined ? {} : { raw }) };
}

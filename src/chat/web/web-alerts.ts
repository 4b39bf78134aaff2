import type { AlertInput } from '../../domain';
import { parseTextAlert } from '../core/alert-detector/text-alert';
import type { AlertDetection } from '../core/alert-detector';

/** What the web console's alerts say they came from; the detector's fallback names Lark. */
export const WEB_SOURCE = 'web console';
const DETECTOR_FALLBACK_SOURCE = 'lark';
/** AlertSchema's cap on `raw`. */
const MAX_RAW = 20_000;

/**
 * The detector's reading of a web console message, made to agree with the terminal:
 *  - one typed line is read by the terminal's own parser, so the same line gives the same title
 *    (`checkout returns 503`, not `… service=checkout`) and keeps what was sent (`<b>` included);
 *  - alerts read with no known tool say they came from the web console, not from Lark;
 *  - a typed message's raw text is what was sent (the detector's raw has Lark markup such as `<b>` dropped).
 * Whether it is an alert at all stays the detector's call (a person's chatter is not an alert).
 */
export function asWebConsoleAlerts(detection: AlertDetection, sentText: string | null): AlertDetection {
  if (!detection.isAlert) return detection;
  const typedLine = sentText !== null && !sentText.includes('\n') && detection.alerts.length === 1 ? lineAlert(sentText) : null;
  if (typedLine) return { ...detection, alerts: [typedLine] };
  return { ...detection, alerts: detection.alerts.map((alert) => withWebSource(alert, sentText)) };
}

function lineAlert(text: string): AlertInput | null {
  try {
    return parseTextAlert(text, WEB_SOURCE);
  } catch {
    return null; // The terminal would refuse it; the detector's reading stands.
  }
}

/** The source, and the raw text as sent: the detector's raw is its flattened reading (markup dropped). */
function withWebSource(alert: AlertInput, sentText: string | null): AlertInput {
  const source = alert.source === DETECTOR_FALLBACK_SOURCE ? WEB_SOURCE : alert.source;
  const raw = sentText === null ? alert.raw : sentText.slice(0, MAX_RAW);
  return { ...alert, source, ...(raw === undefined ? {} : { raw }) };
}

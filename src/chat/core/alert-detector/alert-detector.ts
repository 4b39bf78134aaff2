import { AlertSchema, type AlertInput } from '../../../domain';
import { mergeCaptured } from './captured-fields';
import { extractAlert, type AlertDraft, type MessageContext } from './extract-alert';
import { alertFingerprint } from './fingerprint';
import { flatText, type FlatMessage } from './flat-message';
import { flattenMessage } from './flatten-content';
import { parseBlock } from './key-values';
import { silenceLinkLabels, type Labels } from './label-sets';
import { LIMITS, cap } from './limits';
import { notAlertReason } from './non-alert';
import { segment } from './segments';
import { detectSource, hintFields, type SourceHint } from './source-hints';
import { statusCounts } from './status';
import { matchTemplate, type TemplateMatch } from './templates';
import type { AlertDetection, AlertDetectorOptions, AlertTemplate, DetectedAlertDetails, LarkMessageForDetection } from './types';

/**
 * Decides whether a Lark message is a monitoring alert and reads it into alerts. The text is
 * untrusted data: it is matched against patterns and copied into fields, never interpreted as
 * instructions.
 *
 * A bot's message is an alert when it shows at least one sign of one (a known alerting tool, a
 * status, a severity, an alert-name field, a label set). A person's message counts only when it
 * mentions the bot and shows two signs, so chat about alerts is not mistaken for a pasted alert.
 */
export class AlertDetector {
  private readonly templates: readonly AlertTemplate[];
  private readonly selfSenderIds: ReadonlySet<string>;

  constructor(options: AlertDetectorOptions = {}) {
    this.templates = [...(options.templates ?? [])];
    this.selfSenderIds = new Set(options.selfSenderIds ?? []);
  }

  detect(message: LarkMessageForDetection): AlertDetection {
    if (message.sender.id !== undefined && this.selfSenderIds.has(message.sender.id)) {
      return { isAlert: false, reason: 'sent by this bot itself' };
    }
    if (message.sender.kind === 'user' && !message.mentionsBot) {
      return { isAlert: false, reason: "a person's message that does not mention the bot" };
    }
    const flat = flattenMessage(message.content, message.cardAsSent);
    if (!flat) return { isAlert: false, reason: `no readable text in this ${message.msgType} message` };
    const text = flatText(flat);
    const detected = detectSource(text);
    const template = matchTemplate(this.templates, text);
    if (!template) {
      const reason = notAlertReason(flat.heading, flat.lines.filter(Boolean).slice(0, 3));
      if (reason) return { isAlert: false, reason: `${reason}, not an alert`, ...(detected ? { source: detected.source } : {}) };
      if (detected?.notAlerts) return { isAlert: false, reason: `a ${detected.source} event, not an alert`, source: detected.source };
    }
    const hint = detected?.notAlerts ? undefined : detected;
    const source = template?.template.source ?? hint?.source ?? 'lark';
    const drafts = template ? this.fromTemplate(template, flat, hint, source) : this.fromMessage(flat, hint, source);
    if (!template && signsOfAlert(drafts, hint) < (message.sender.kind === 'user' ? 2 : 1)) {
      return {
        isAlert: false,
        reason: message.sender.kind === 'user' ? 'mentions the bot but holds no pasted alert' : 'shows no sign of an alert',
      };
    }
    const raw = cap(text, LIMITS.raw);
    const alerts: AlertInput[] = [];
    const details: DetectedAlertDetails[] = [];
    for (const draft of drafts) {
      const alert = toAlert(draft, source, raw);
      if (!alert) continue;
      alerts.push(alert);
      details.push({ severityOrigin: draft.severityOrigin, ...(template ? { template: template.template.name } : {}) });
    }
    if (alerts.length === 0) return { isAlert: false, reason: 'looked like an alert but no valid alert could be read' };
    return { isAlert: true, alerts, details };
  }

  private fromTemplate(template: TemplateMatch, flat: FlatMessage, hint: SourceHint | undefined, source: string): AlertDraft[] {
    const hinted = hintFields(hint, flatText(flat));
    const record = parseBlock(flat.lines);
    return template.captures.map((captured) =>
      extractAlert(record, {
        ...baseContext(flat, hint, source),
        captured: mergeCaptured([captured, hinted]),
        severityFromTemplate: captured.severity !== undefined,
        preamble: parseBlock([]),
      }),
    );
  }

  private fromMessage(flat: FlatMessage, hint: SourceHint | undefined, source: string): AlertDraft[] {
    const context = baseContext(flat, hint, source);
    const announced = context.counts ? context.counts.firing + context.counts.resolved : 0;
    const { preamble, records } = segment(flat.lines, announced);
    const shared: MessageContext = { ...context, captured: hintFields(hint, flatText(flat)), severityFromTemplate: false, preamble };
    return records.map((record) => extractAlert(record, shared));
  }
}

function baseContext(
  flat: FlatMessage,
  hint: SourceHint | undefined,
  source: string,
): Omit<MessageContext, 'captured' | 'severityFromTemplate' | 'preamble'> {
  const counts = statusCounts([flat.heading, ...flat.badges].join('\n'));
  const linkLabelSets = flat.links.map(silenceLinkLabels).filter((labels): labels is Labels => labels !== undefined);
  return { flat, source, linkLabelSets, ...(hint ? { hint } : {}), ...(counts ? { counts } : {}) };
}

function signsOfAlert(drafts: readonly AlertDraft[], hint: SourceHint | undefined): number {
  const signs = [
    hint !== undefined,
    drafts.some((draft) => draft.statusShown),
    drafts.some((draft) => draft.severityOrigin === 'message'),
    drafts.some((draft) => draft.titleFromField),
    drafts.some((draft) => draft.hadLabelSet),
  ];
  return signs.filter(Boolean).length;
}

function toAlert(draft: AlertDraft, source: string, raw: string): AlertInput | undefined {
  const fingerprint = alertFingerprint({
    source,
    title: draft.title,
    identityLabels: draft.stated,
    ...(draft.service ? { service: draft.service } : {}),
    ...(draft.instance ? { instance: draft.instance } : {}),
  });
  const parsed = AlertSchema.safeParse({
    source,
    fingerprint,
    title: draft.title,
    status: draft.status,
    severity: draft.severity,
    ...(draft.service ? { service: draft.service } : {}),
    ...(draft.instance ? { instance: draft.instance } : {}),
    ...(draft.description ? { description: draft.description } : {}),
    labels: draft.labels,
    ...(draft.startsAt ? { startsAt: draft.startsAt } : {}),
    raw,
  });
  return parsed.success ? parsed.data : undefined;
}

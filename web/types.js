// @ts-check
/**
 * Shapes of what the console's API returns (see src/server/console).
 *
 * @typedef {{ user: string, chatId: string, maxMessageChars: number, samples: { id: string, label: string }[], people?: Record<string, string> }} Session
 * @typedef {{ seq: number, messageId: string, chatId: string, author: 'bot' | 'person' | 'monitor', senderId: string,
 *   text: string | null, card: CardJson | null, replyTo: string | null, reactions: string[], createdAt: string, updatedAt: string }} ChatMessage
 * @typedef {{ zh_cn?: string, en_us?: string }} LarkI18nContent Lark's text per locale; `content` is the fallback.
 * @typedef {{ content?: string, i18n_content?: LarkI18nContent }} LarkText
 * @typedef {{ tag: string, content?: string, i18n_content?: LarkI18nContent, text_size?: string, text?: LarkText, type?: string,
 *   behaviors?: { type: string, value: ButtonValue }[], columns?: { elements: CardElement[] }[] }} CardElement
 * @typedef {{ header?: { title?: LarkText, template?: string }, body?: { elements?: CardElement[] } }} CardJson
 * @typedef {{ incidentId: string, action: string, kind?: string, attempt?: number }} ButtonValue
 * @typedef {'zh-CN' | 'en'} Language
 * @typedef {{ en: string, 'zh-CN': string }} Label
 * @typedef {{ id: string, label: Label }} Phase
 * @typedef {{ id: string, title: string, state: string, phase: Phase, status: string, severity: string, service: string | null,
 *   source: string, createdAt: string, updatedAt: string }} IncidentItem
 * @typedef {{ eventType: string, fromState: string | null, toState: string, detail: unknown }} TransitionRaw
 * @typedef {{ activity: string, step: string, attempt: number, detail: unknown }} AgentRaw
 * @typedef {{ at: string, actor: string, what: Label, from: Label | null, to: Label | null }
 *   & ({ kind: 'transition', raw: TransitionRaw } | { kind: 'agent', raw: AgentRaw })} TimelineEntry
 * @typedef {{ source: string, summary: string, status: string, citation?: { ref: string, toolSummary: string } }} Evidence
 * @typedef {{ summary: string, rootCause: string, category: string, severity: string, confidence: number, confidenceNote?: string, evidence: Evidence[] }} Diagnosis
 * @typedef {{ pluginId: string, args: Record<string, unknown>, summary: string, plan?: string }} FixStep
 * @typedef {{ fixable: true, proposal: { summary: string, rationale: string, riskClaim: string, steps: FixStep[] } } | { fixable: false, reason: string }} ProposalOutcome
 * @typedef {{ action: string, risk: string, reasons: string[], approvalsRequired: number, dryRun?: boolean }} PolicyDecision
 * @typedef {{ pluginId: string, args: Record<string, unknown>, status: string, result: unknown, startedAt: string, finishedAt: string | null }} Execution
 * @typedef {{ incident: IncidentItem & { accepts: string[], attempt: number, repeats: number, wakeAt: string | null,
 *     alert: { description?: string, source: string, labels?: Record<string, string> } | null,
 *     escalation: { reason: string, detail?: string } | null, verification: { passed: boolean, checks: { pluginId: string, passed: boolean, summary: string }[] } | null,
 *     proposal: { kind: 'fix' | 'rollback', steps: { pluginId: string, summary: string }[] } | null, execution: { steps: { pluginId: string, status: string }[] } | null },
 *   visited: string[], steps: [string, string][], timeline: TimelineEntry[], diagnoses: { attempt: number, at: string, diagnosis: Diagnosis }[],
 *   proposals: { attempt: number, at: string, outcome: ProposalOutcome, decision: PolicyDecision | null }[], executions: Execution[],
 *   alerts: HeldAlert[], tally: { total: number, firing: number } | null, actions: IncidentAction[],
 *   people?: Record<string, string>, seenBefore?: SeenBefore | null, summary?: import('./summary.js').IncidentSummary | null }} IncidentDetails
 * @typedef {{ incidentId: string, at?: string, cause?: string, fix: string[], verified: boolean, similarity: number }} PastIncident
 * @typedef {{ incidents: PastIncident[], recent: { days: number, count: number, fix?: { pluginIds: string[], resolved: number } } }} SeenBefore
 * @typedef {{ type: string, label: Label, style: string, refused: Label | string | null }} IncidentAction
 * @typedef {{ fingerprint: string, status: string, title: string, severity: string, instance: string | null, labels: Record<string, string>,
 *   source: string, count: number, firstSeen: string, lastSeen: string, resolvedAt: string | null }} HeldAlert
 * @typedef {{ id: string, words: Label, lines: Record<Language, string[]>, description: string | null, x: number, y: number, width: number, height: number,
 *   compound: boolean, final: boolean, parked: boolean }} LayoutState
 * @typedef {{ x: number, y: number, width: number, height: number }} Box
 * @typedef {{ words: Label, event: string, guard: string | null }} LayoutTransition
 * @typedef {{ from: string, to: string, transitions: LayoutTransition[], kind: string, path: string, lines: Record<Language, string[][]>, label: Box | null }} LayoutEdge
 * @typedef {{ layout: { machineId: string, width: number, height: number, states: LayoutState[], edges: LayoutEdge[] }, editorUrl: string, stately: unknown }} Statechart
 */
export {};

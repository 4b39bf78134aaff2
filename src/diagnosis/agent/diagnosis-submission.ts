import { z } from 'zod';
import { SeveritySchema } from '../../domain';
import type { Diagnosis, Evidence } from '../../domain';
import type { FinishTool, ToolFact } from './agent-loop';

export const SUBMIT_DIAGNOSIS = 'submit_diagnosis';

/** What the model hands in. Confidence is its own estimate: code may only lower what the evidence supports. */
const SubmissionSchema = z.object({
  summary: z.string().trim().min(1).max(500),
  rootCause: z.string().trim().min(1).max(2_000),
  category: z.string().trim().min(1).max(60),
  severity: SeveritySchema,
  affectedService: z.string().trim().min(1).max(200).optional(),
  evidence: z
    .array(z.object({ ref: z.string().describe('The tool result reference, e.g. E1'), finding: z.string().trim().min(1).max(1_000) }))
    .max(10),
  confidence: z.number().min(0).max(1).describe('Your own confidence; the evidence may lower it, never raise it.'),
});

/** A check counts as support when it ran and answered; without the flag, only a success does. */
function supports(e: Evidence): boolean {
  return e.citation?.observed ?? e.status === 'success';
}

/**
 * Confidence from what the cited tool results show, not from the model's word: no cited check that
 * ran and answered means weak evidence whatever the model says; each distinct one adds support. The
 * model's own estimate can only lower it.
 */
export function confidenceFrom(evidence: Evidence[], claimed: number): { confidence: number; note: string } {
  const supported = new Set(evidence.filter(supports).map((e) => e.citation?.ref ?? e.source)).size;
  const failed = evidence.filter((e) => !supports(e)).length;
  const ceiling = [0.15, 0.5, 0.7, 0.85][Math.min(supported, 3)] ?? 0.85;
  const confidence = Math.round(Math.min(ceiling, claimed) * 100) / 100;
  const unsupported = failed > 0 ? `; ${failed} cited check(s) could not look or found nothing` : '';
  if (supported === 0) return { confidence, note: `Weak evidence: no check that ran supports this${unsupported}. Treat it as a hypothesis.` };
  const capped = claimed > ceiling ? ` (the model claimed ${Math.round(claimed * 100)}%)` : '';
  return { confidence, note: `Supported by ${supported} check(s) that ran and answered${unsupported}${capped}.` };
}

export const diagnosisFinishTool: FinishTool<Diagnosis> = {
  spec: {
    name: SUBMIT_DIAGNOSIS,
    description:
      'Submit your diagnosis. Cite each finding with the reference (E1, E2, …) of the tool result it comes from; findings without a valid reference are dropped.',
    inputSchema: jsonSchemaOf(SubmissionSchema),
  },
  accept(input, facts) {
    const parsed = SubmissionSchema.safeParse(input);
    if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
    const submission = parsed.data;
    const unknown = submission.evidence.filter((item) => !facts.has(item.ref)).map((item) => item.ref);
    if (unknown.length > 0) return { ok: false, error: `Unknown evidence reference(s) ${unknown.join(', ')}: cite only results you received.` };
    const evidence = submission.evidence.map((item) => evidenceOf(item.finding, facts.get(item.ref) as ToolFact));
    const { confidence, note } = confidenceFrom(evidence, submission.confidence);
    return {
      ok: true,
      value: {
        summary: submission.summary,
        rootCause: submission.rootCause,
        category: submission.category.toLowerCase(),
        severity: submission.severity,
        ...(submission.affectedService && { affectedService: submission.affectedService }),
        confidence,
        confidenceNote: note,
        evidence,
      },
    };
  },
};

function evidenceOf(finding: string, fact: ToolFact): Evidence {
  return { source: fact.pluginId, summary: finding, status: fact.status, citation: { ref: fact.ref, toolSummary: fact.summary, observed: fact.observed } };
}

export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

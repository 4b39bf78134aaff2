import type { Logger } from 'pino';
import { maxRisk } from '../../domain';
import type { Alert, Diagnosis, ProposalOutcome, Severity } from '../../domain';
import type { PluginRegistry } from '../../plugins/registry';
import { describeCall, runPlugin } from '../../plugins/run-plugin';
import type { Targets } from '../../plugins/targets';
import type { Diagnostician, StepContext } from '../diagnostician';

/** Alert labels that commonly name the affected service, in order of preference. */
const SERVICE_LABELS = ['service', 'app', 'job', 'target', 'component'];

/**
 * The offline default: a deterministic runbook engine that needs no network. It matches the alert
 * to a configured HTTP target, probes its health with the `http.probe` plugin, and proposes the
 * target's configured remediation action when the probe fails.
 */
export class RunbookDiagnostician implements Diagnostician {
  constructor(
    private readonly plugins: PluginRegistry,
    private readonly targets: Targets,
    private readonly logger: Logger,
  ) {}

  async diagnose(alert: Alert, ctx: StepContext): Promise<Diagnosis> {
    const target = this.targetFor(alert);
    if (!target) {
      return {
        summary: `No runbook matches "${alert.title}".`,
        rootCause: 'Unknown: no configured target matches this alert, so nothing could be checked.',
        category: 'unknown',
        severity: alert.severity,
        confidence: 0.1,
        evidence: [],
      };
    }
    const probe = this.plugins.get('http.probe');
    if (!probe) throw new Error('The http.probe plugin is not registered.');
    const result = await runPlugin(probe, { target }, { signal: ctx.signal, logger: this.logger, targets: this.targets });
    const evidence = [{ source: 'http.probe', summary: result.summary, status: result.status }];
    if (result.status !== 'success') {
      return {
        summary: `${target} fails its health check.`,
        rootCause: `${target} is unhealthy: ${result.summary}`,
        category: 'availability',
        severity: atLeast(alert.severity, 'high'),
        affectedService: target,
        confidence: 0.8,
        evidence,
      };
    }
    return {
      summary: `${target} passes its health check now.`,
      rootCause: 'The service answers its health check; the alert may be transient or about something the check does not cover.',
      category: 'transient',
      severity: alert.severity,
      affectedService: target,
      confidence: 0.4,
      evidence,
    };
  }

  propose(_alert: Alert, diagnosis: Diagnosis): Promise<ProposalOutcome> {
    const target = diagnosis.affectedService;
    if (diagnosis.category !== 'availability' || !target) {
      return Promise.resolve({ fixable: false, reason: `The runbook has no fix for a "${diagnosis.category}" diagnosis.` });
    }
    const actions = Object.entries(this.targets.http[target]?.actions ?? {});
    const remedy = actions.find(([, action]) => action.remediatesUnhealthy);
    if (!remedy) {
      return Promise.resolve({ fixable: false, reason: `Target ${target} has no action marked remediatesUnhealthy.` });
    }
    const [actionName, action] = remedy;
    const args = { target, action: actionName };
    const httpCall = this.plugins.get('http.call');
    const summary = httpCall ? describeCall(httpCall, args) : `Call ${actionName} on ${target}`;
    return Promise.resolve({
      fixable: true,
      proposal: {
        summary: `Run "${actionName}" on ${target}`,
        rationale: `${target} fails its health check; "${actionName}" is the configured remedy for an unhealthy ${target}.`,
        riskClaim: maxRisk(action.risk),
        steps: [{ pluginId: 'http.call', args, summary }],
        verification: [{ pluginId: 'http.probe', args: { target } }],
      },
    });
  }

  private targetFor(alert: Alert): string | undefined {
    const candidates = [alert.service, ...SERVICE_LABELS.map((label) => alert.labels[label])];
    return candidates.find((name): name is string => !!name && name in this.targets.http);
  }
}

const ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
function atLeast(severity: Severity, floor: Severity): Severity {
  return ORDER.indexOf(severity) >= ORDER.indexOf(floor) ? severity : floor;
}

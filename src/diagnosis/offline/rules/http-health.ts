import { maxRisk } from '../../../domain';
import { describeCall } from '../../../plugins/run-plugin';
import { atLeast, configuredNameIn } from './rule';
import type { RunbookRule } from './rule';

/** An HTTP service failing its health check is restarted with the target's configured remedy. */
export const httpHealthRule: RunbookRule = {
  targetFor: (alert, targets) => configuredNameIn(alert, targets.http),

  async diagnose(alert, target, tools) {
    const result = await tools.runDiagnostic('http.probe', { target });
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
  },

  propose(diagnosis, { targets, plugins }) {
    const target = diagnosis.affectedService;
    if (diagnosis.category !== 'availability' || !target || !targets.http[target]) return undefined;
    const remedy = Object.entries(targets.http[target].actions).find(([, action]) => action.remediatesUnhealthy);
    if (!remedy) return { fixable: false, reason: `Target ${target} has no action marked remediatesUnhealthy.` };
    const [actionName, action] = remedy;
    const args = { target, action: actionName };
    const httpCall = plugins.get('http.call');
    return {
      fixable: true,
      proposal: {
        summary: `Run "${actionName}" on ${target}`,
        rationale: `${target} fails its health check; "${actionName}" is the configured remedy for an unhealthy ${target}.`,
        riskClaim: maxRisk(action.risk),
        steps: [{ pluginId: 'http.call', args, summary: httpCall ? describeCall(httpCall, args) : `Call ${actionName} on ${target}` }],
        verification: [{ pluginId: 'http.probe', args: { target } }],
      },
    };
  },
};

import httpProbe from '../../plugins/diagnostic/http-probe';
import httpCall from '../../plugins/remediation/http-call';
import { PluginRegistry } from '../../src/plugins/registry';

/** The two HTTP built-ins, registered synchronously (no discovery): for tests that need a small real registry. */
export function createHttpPluginRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  registry.register(httpProbe);
  registry.register(httpCall);
  return registry;
}

import { z } from 'zod';
import type { AnyPlugin, PluginCategory } from '../../plugins/plugin';
import type { PluginRegistry } from '../../plugins/registry';
import type { ToolSpec } from '../llm-port';

/** Provider tool names allow letters, digits, `_` and `-` only (Anthropic and OpenAI alike). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Plugins as tools for the model: a tool per plugin, named after its id (`http.probe` → `http_probe`),
 * described by its own description and a JSON Schema of its zod args. The catalog maps names back,
 * so a name the model makes up is never resolved to a plugin.
 */
export class ToolCatalog {
  private readonly byName = new Map<string, AnyPlugin>();
  readonly specs: ToolSpec[] = [];

  constructor(plugins: AnyPlugin[]) {
    for (const plugin of plugins) {
      const name = toolNameOf(plugin.id);
      const taken = this.byName.get(name);
      if (taken) throw new Error(`Plugins ${taken.id} and ${plugin.id} map to the same tool name ${name}.`);
      this.byName.set(name, plugin);
      this.specs.push({ name, description: describe(plugin), inputSchema: argsSchemaOf(plugin) });
    }
  }

  static of(registry: PluginRegistry, category: PluginCategory): ToolCatalog {
    return new ToolCatalog(registry.byCategory(category));
  }

  plugin(toolName: string): AnyPlugin | undefined {
    return this.byName.get(toolName);
  }

  plugins(): AnyPlugin[] {
    return [...this.byName.values()];
  }
}

export function toolNameOf(pluginId: string): string {
  const name = pluginId.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (!TOOL_NAME.test(name)) throw new Error(`Plugin id ${pluginId} cannot be a tool name.`);
  return name;
}

/** The JSON Schema of what the plugin accepts (its input side: defaults are optional to the caller). */
export function argsSchemaOf(plugin: AnyPlugin): Record<string, unknown> {
  const schema = z.toJSONSchema(plugin.args, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema.type === 'object' ? schema : { type: 'object', properties: {}, additionalProperties: true };
}

function describe(plugin: AnyPlugin): string {
  const facts = plugin.category === 'remediation' ? ` Risk: ${plugin.risk}. Blast radius: ${plugin.blastRadius ?? 'undeclared'}.` : '';
  return `${plugin.description}${facts}`;
}

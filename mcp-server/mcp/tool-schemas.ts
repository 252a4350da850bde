// Renders a tool's zod schemas as the JSON Schema (draft-07) that tools/list publishes, once per tool.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ID_PATTERN } from './input-limits';
import type { ToolDefinition } from './tool-definition';

const rendered = new WeakMap<ToolDefinition, Tool>();

/**
 * Agents load tools/list into their prompt, so the published schema drops what costs tokens and helps no caller:
 * the draft URI, id patterns and lengths (the server checks them and says so when one fails), and `additionalProperties: false`
 * on outputs (a client never sends them). Inputs keep theirs: an unknown argument is refused, and the schema says so.
 */
function compact(node: unknown, io: 'input' | 'output'): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => compact(n, io));
  const o = node as Record<string, unknown>;
  if (o.type === 'string' && (o.pattern === ID_PATTERN || (typeof o.description === 'string' && / id$/.test(o.description)))) {
    delete o.pattern;
    delete o.minLength;
    delete o.maxLength;
  }
  if (io === 'output' && o.additionalProperties === false) delete o.additionalProperties;
  for (const value of Object.values(o)) compact(value, io);
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  const out = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  compact(out, io);
  return out as Tool['inputSchema'];
}

/** The tools/list entry of a tool (cached: tool definitions are immutable). */
export function toolListing(tool: ToolDefinition): Tool {
  let listing = rendered.get(tool);
  if (!listing) {
    listing = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: jsonSchema(tool.input, 'input'),
      outputSchema: jsonSchema(tool.output, 'output'),
      annotations: { ...tool.annotations },
    };
    rendered.set(tool, listing);
  }
  return listing;
}

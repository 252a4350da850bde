// What a tool is: name, description, roles, zod input and output, annotations, and the one core call it makes.
import type { z } from 'zod';
import type { Principal, Role } from '../auth/roles';
import type { McpServices } from './services';

export interface ProgressReporter {
  /** Sends notifications/progress when the caller asked for it (a progressToken); otherwise does nothing. */
  report(progress: number, total?: number, message?: string): Promise<void>;
}

export interface ToolContext {
  principal: Principal;
  /** The actor recorded on the events this call causes. */
  actor: string;
  signal: AbortSignal;
  progress: ProgressReporter;
  services: McpServices;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint?: boolean;
}

export type ToolGroup = 'runs' | 'tasks' | 'approvals' | 'workforce' | 'audit' | 'governance' | 'chat' | 'employee' | 'notifications' | 'integrations' | 'templates' | 'replay' | 'memory';

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  group: ToolGroup;
  description: string;
  /** Roles allowed to call it; the role table in docs/mcp.md is generated from these. */
  roles: readonly Role[];
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(args: z.output<I>, context: ToolContext): Promise<z.input<O>>;
}

/** Keeps each tool's input and output types tied to its schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(definition: ToolDefinition<I, O>): ToolDefinition {
  return definition as unknown as ToolDefinition;
}

/** Annotation presets: most tools are one of these. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const ADDITIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
export const IDEMPOTENT_CHANGE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const DESTRUCTIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };

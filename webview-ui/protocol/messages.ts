// The messages between a dashboard webview and the extension host: one zod-checked union each way.
import { z } from 'zod';

/** The dashboard's pages; the host may open the webview on any of them. */
export const dashboardViews = ['overview', 'timeline', 'plan', 'task', 'leaderboard', 'approvals', 'costs', 'archive', 'memory', 'chat'] as const;
export type DashboardView = (typeof dashboardViews)[number];

export const routeSchema = z.object({
  view: z.enum(dashboardViews),
  runId: z.string().min(1).max(200).optional(),
  taskId: z.string().min(1).max(200).optional(),
});
export type Route = z.infer<typeof routeSchema>;

const requestId = z.number().int().nonnegative();
const toolName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a snake_case tool name');
const resourceUri = z.string().regex(/^aura:\/\/[\w./{}-]{1,300}$/, 'expected an aura:// resource URI');

/** Webview → extension host. */
export const toHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('call'), id: requestId, tool: toolName, args: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('read'), id: requestId, uri: resourceUri }),
  z.object({ type: z.literal('subscribe'), uri: resourceUri }),
  z.object({ type: z.literal('unsubscribe'), uri: resourceUri }),
  z.object({ type: z.literal('route'), route: routeSchema }),
]);
export type ToHost = z.infer<typeof toHostSchema>;

export const connectionStates = ['connected', 'connecting', 'disconnected', 'unauthorized', 'error'] as const;
export type ConnectionState = (typeof connectionStates)[number];

/** Extension host → webview. */
export const toWebviewSchema = z.union([
  z.object({ type: z.literal('init'), route: routeSchema, connection: z.enum(connectionStates), tools: z.array(z.string()) }),
  z.object({ type: z.literal('result'), id: requestId, ok: z.literal(true), data: z.unknown() }),
  z.object({ type: z.literal('result'), id: requestId, ok: z.literal(false), error: z.string() }),
  z.object({ type: z.literal('updated'), uri: z.string() }),
  z.object({ type: z.literal('connection'), state: z.enum(connectionStates), tools: z.array(z.string()) }),
  z.object({ type: z.literal('navigate'), route: routeSchema }),
]);
export type ToWebview = z.infer<typeof toWebviewSchema>;

/** Parses a message; an invalid one yields the reason instead of throwing (messages cross a trust boundary). */
export function parseMessage<T>(schema: z.ZodType<T>, value: unknown): { ok: true; message: T } | { ok: false; reason: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

/** The tools a dashboard may call through the extension host; anything else is refused there. */
export const dashboardTools: ReadonlySet<string> = new Set([
  'list_runs',
  'get_run',
  'list_tasks',
  'get_task',
  'query_events',
  'get_run_state',
  'get_plan_diff',
  'get_task_diff',
  'get_evidence',
  'get_scores',
  'list_employees',
  'list_approvals',
  'approve',
  'reject',
  'pause_run',
  'resume_run',
  'cancel_run',
  'retry_task',
  'skip_task',
  'list_dead_letters',
  'verify_audit',
  'memory_list',
  'memory_search',
  'memory_history',
  'get_chat',
  'post_message',
]);

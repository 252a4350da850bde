// What a model employee answers with: a summary and the actions to apply in its container, checked by zod.
import { z } from 'zod';
import { AuraError, describeIssues } from '../../domain/errors';
import { normaliseWorkspacePath, scopeMatcher } from '../../workspace/scope';

export const MAX_FILE_BYTES = 1_000_000;

/** One action: the fields are flat (not a union) so every provider's structured-output mode can express it. */
const actionSchema = z
  .object({
    type: z.enum(['write_file', 'delete_file', 'run']),
    path: z.string().max(1000).optional(),
    content: z.string().max(MAX_FILE_BYTES).optional(),
    command: z.string().max(8000).optional(),
  })
  .superRefine((action, ctx) => {
    if (action.type !== 'run' && !action.path) ctx.addIssue({ code: 'custom', message: `${action.type} needs a path`, path: ['path'] });
    if (action.type === 'write_file' && action.content === undefined) ctx.addIssue({ code: 'custom', message: 'write_file needs content', path: ['content'] });
    if (action.type === 'run' && !action.command?.trim()) ctx.addIssue({ code: 'custom', message: 'run needs a command', path: ['command'] });
  });

export const actionPlanSchema = z.object({
  summary: z.string().min(1).max(4000),
  actions: z.array(actionSchema).max(200),
});

export type ActionPlan = z.infer<typeof actionPlanSchema>;

export type PlannedAction =
  | { type: 'write_file'; path: string; content: string }
  | { type: 'delete_file'; path: string }
  | { type: 'run'; command: string };

/** The same shape as JSON Schema, for the provider's structured-output mode. */
export const actionPlanJsonSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    summary: { type: 'string', description: 'What you did and why, in one or two sentences.' },
    actions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string', enum: ['write_file', 'delete_file', 'run'] },
          path: { type: 'string', description: 'write_file/delete_file: path relative to /workspace' },
          content: { type: 'string', description: 'write_file: the whole new content of the file' },
          command: { type: 'string', description: 'run: a shell command line, run with sh -c in /workspace' },
        },
        required: ['type'],
        additionalProperties: false,
      },
    },
  },
  required: ['summary', 'actions'],
  additionalProperties: false,
};

/** A fence around the JSON is tolerated; anything else that is not the schema is the model's error. */
export function parseActionPlan(text: string): { summary: string; actions: PlannedAction[] } {
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(text.trim());
  let value: unknown;
  try {
    value = JSON.parse(fenced ? fenced[1]! : text);
  } catch (error) {
    throw new AuraError('invalid_input', `The answer is not JSON (${(error as Error).message}); it starts ${JSON.stringify(text.slice(0, 80))}.`);
  }
  const parsed = actionPlanSchema.safeParse(value);
  if (!parsed.success) throw new AuraError('invalid_input', `The answer does not match the action plan schema: ${describeIssues(parsed.error.issues)}`);
  const actions = parsed.data.actions.map((a): PlannedAction => {
    if (a.type === 'run') return { type: 'run', command: a.command! };
    const path = normaliseWorkspacePath(a.path!);
    return a.type === 'write_file' ? { type: 'write_file', path, content: a.content! } : { type: 'delete_file', path };
  });
  return { summary: parsed.data.summary, actions };
}

/** Refuses a plan that writes or deletes outside the task's scope, naming every offending path. */
export function checkPlanScope(actions: readonly PlannedAction[], scope: readonly string[]): void {
  const paths = actions.flatMap((a) => (a.type === 'run' ? [] : [a.path]));
  const outside = scopeMatcher(scope).outside(paths);
  if (outside.length > 0) {
    const allowed = scope.length ? scope.join(', ') : '(nothing: the task changes no files)';
    throw new AuraError('invalid_input', `The plan changes paths outside the task's scope: ${[...new Set(outside)].join(', ')}. Allowed: ${allowed}.`);
  }
}

// Submitting a PRD from a template: the skeleton rendered with the Director's values (and PRD), then an ordinary submit.
import { z } from 'zod';
import { AuraError, describeIssues } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { SubmitRunInput } from '../runs/inputs';
import type { RunDetail } from '../runs/run-queries';
import { templateNameSchema, renderTemplate } from './template-format';
import type { TemplateLibrary } from './template-library';

export const templateSubmissionSchema = z.strictObject({
  template: templateNameSchema,
  templateVersion: z.number().int().positive().optional(),
  variables: z.record(z.string().max(40), z.string().max(200_000)).default({}),
});

export type TemplateSubmission = z.input<typeof templateSubmissionSchema>;

export interface TemplateSubmitDeps {
  library: TemplateLibrary;
  events: EventLog;
  submit(input: SubmitRunInput, actor: string): Promise<RunDetail>;
}

/**
 * `prd` fills the template's `prd` variable when it has one; otherwise it is added under "## Context", which the
 * structural planner reads as background (no tasks) and a model planner reads as the brief.
 */
export async function submitFromTemplate(deps: TemplateSubmitDeps, choice: TemplateSubmission, rest: Omit<SubmitRunInput, 'prd'> & { prd?: string }, actor: string): Promise<RunDetail> {
  const parsed = templateSubmissionSchema.safeParse(choice);
  if (!parsed.success) throw new AuraError('invalid_input', `Template choice refused: ${describeIssues(parsed.error.issues)}`);
  const template = await deps.library.get(parsed.data.template, parsed.data.templateVersion);
  const values = { ...parsed.data.variables };
  const { prd, ...submission } = rest;
  let context = '';
  if (prd !== undefined) {
    if ('prd' in template.variables && values.prd === undefined) values.prd = prd;
    else context = `\n\n## Context\n${prd}\n`;
  }
  const rendered = renderTemplate(template, values) + context;
  const run = await deps.submit(
    { ...submission, prd: rendered, title: submission.title ?? template.title, budgetUsd: submission.budgetUsd ?? template.budgetUsd, policySet: submission.policySet ?? template.policySet },
    actor,
  );
  // After the run exists (its own transaction): the rendered PRD, stored with the run, already says what was asked.
  await deps.events.append({ type: 'TemplateApplied', actor, runId: run.id, payload: { name: template.name, version: template.version, origin: template.origin, variables: Object.keys(values).sort() } });
  return run;
}

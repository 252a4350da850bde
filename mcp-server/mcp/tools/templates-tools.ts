// Template tools: the phase-template library (shipped and saved), one template's file, and saving a run's plan as one.
import { z } from 'zod';
import { runIdSchema } from '../../../core/orchestrator';
import { summarise } from '../../../core/templates/template-library';
import { templateNameSchema } from '../../../core/templates/template-format';
import { DIRECTOR_ONLY, READERS } from '../../auth/roles';
import { text } from '../input-limits';
import type { McpServices } from '../services';
import { ADDITIVE, defineTool, READ_ONLY, type ToolDefinition } from '../tool-definition';

const templateSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  title: z.string(),
  description: z.string(),
  phases: z.array(z.string()),
  variables: z.record(z.string(), z.object({ description: z.string(), default: z.string().optional(), example: z.string().optional() })),
  approvalGates: z.array(z.string()),
  suggestedSkills: z.array(z.string()),
  policySet: z.string().nullable(),
  budgetUsd: z.number().nullable(),
  origin: z.enum(['shipped', 'saved']),
});

export function templatesTools(services: McpServices): ToolDefinition[] {
  const library = services.templates;
  const orchestrator = services.orchestrator;
  if (!library || !orchestrator) return [];
  return [
    defineTool({
      name: 'list_templates',
      title: 'List phase templates',
      group: 'templates',
      description: 'The phase templates submit_prd can start from (Ideation, Research, PRD, Design, Build, Test, Deploy, Feature from PRD, and saved ones), with their variables.',
      roles: READERS,
      input: z.strictObject({}),
      output: z.object({ templates: z.array(templateSchema) }),
      annotations: READ_ONLY,
      run: async () => ({ templates: await library.list() }),
    }),
    defineTool({
      name: 'get_template',
      title: 'Get a phase template',
      group: 'templates',
      description: 'One template: its summary and its file (YAML front matter, then the Markdown PRD skeleton).',
      roles: READERS,
      input: z.strictObject({ name: templateNameSchema, version: z.number().int().positive().optional() }),
      output: z.object({ template: templateSchema, source: z.string() }),
      annotations: READ_ONLY,
      async run(args) {
        const template = await library.get(args.name, args.version);
        return { template: summarise(template), source: template.source };
      },
    }),
    defineTool({
      name: 'save_template',
      title: 'Save a phase template',
      group: 'templates',
      description: "Saves a run's plan as a template (runId, name, title, description), or a template file (source), as the next version of its name.",
      roles: DIRECTOR_ONLY,
      input: z
        .strictObject({
          runId: runIdSchema.optional(),
          name: templateNameSchema.optional(),
          title: text(200, 1).optional(),
          description: text(2000, 1).optional(),
          source: text(200_000, 1).optional().describe('a whole template file (aura.template/1)'),
        })
        .refine((a) => (a.source === undefined) !== (a.runId === undefined), { message: 'give either source, or runId with name', path: ['runId'] })
        .refine((a) => a.runId === undefined || a.name !== undefined, { message: 'saving a run needs the name to save it under', path: ['name'] }),
      output: z.object({ template: templateSchema }),
      annotations: ADDITIVE,
      async run(args, { actor }) {
        if (args.source !== undefined) return { template: summarise(await library.save({ source: args.source }, actor)) };
        const run = await orchestrator.runs.get(args.runId!);
        const saved = await library.save(
          { plan: run.plan, runId: run.id, name: args.name!, title: args.title ?? run.title, description: args.description ?? `The plan of run ${run.id} (${run.title}).` },
          actor,
        );
        return { template: summarise(saved) };
      },
    }),
  ];
}

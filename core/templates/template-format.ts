// The phase template format (aura.template/1): YAML front matter, then a Markdown PRD skeleton with {{variables}}.
// Parsing checks both: the front matter with zod, and the skeleton by planning it with sample values.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AuraError, describeIssues } from '../domain/errors';
import { planFromMarkdown } from '../manager/structural-planner';
import type { Plan } from '../manager/plan-schema';

export const TEMPLATE_API = 'aura.template/1';
export const templateNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and "-" (at most 63)');
const variableNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'expected a letter, then letters, digits or "_"');

export const templateFrontMatterSchema = z.strictObject({
  apiVersion: z.literal(TEMPLATE_API),
  name: templateNameSchema,
  version: z.number().int().positive(),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(2000),
  /** The phases of product work the template covers, in order (Ideation, Research, PRD, Design, Build, Test, Deploy, …). */
  phases: z.array(z.string().trim().min(1).max(60)).min(1).max(20),
  variables: z
    .record(variableNameSchema, z.strictObject({ description: z.string().trim().min(1).max(500), default: z.string().max(20_000).optional(), example: z.string().max(2000).optional() }))
    .default({}),
  /** Defaults a submission may override. */
  policySet: z.string().trim().min(1).max(100).optional(),
  budgetUsd: z.number().nonnegative().max(1_000_000).optional(),
  /** Keys of the skeleton's approval tasks: where the Director signs off before the next phase. */
  approvalGates: z.array(z.string().min(1).max(64)).max(50).default([]),
  /** Skills the template's tasks ask for, so the Director can hire for them before submitting. */
  suggestedSkills: z.array(z.string().trim().min(1).max(64)).max(30).default([]),
});

export type TemplateFrontMatter = z.infer<typeof templateFrontMatterSchema>;

export interface Template extends TemplateFrontMatter {
  /** The Markdown PRD skeleton. */
  body: string;
  /** The whole file, as stored. */
  source: string;
  origin: 'shipped' | 'saved';
}

const placeholder = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Parses and checks a template file; a broken one is refused with every problem found, named. */
export function parseTemplate(source: string, origin: Template['origin']): Template {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw refused('it must open with YAML front matter between two "---" lines, then the Markdown PRD skeleton');
  let yaml: unknown;
  try {
    yaml = parseYaml(match[1]!);
  } catch (error) {
    throw refused(`its front matter is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const front = templateFrontMatterSchema.safeParse(yaml);
  if (!front.success) throw refused(describeIssues(front.error.issues));
  const body = match[2]!;
  if (body.trim() === '') throw refused('its PRD skeleton (after the front matter) is empty');
  const used = [...new Set([...body.matchAll(placeholder)].map((m) => m[1]!))];
  const undeclared = used.filter((v) => !(v in front.data.variables));
  if (undeclared.length) throw refused(`the skeleton uses ${undeclared.map((v) => `{{${v}}}`).join(', ')} but variables declares no ${undeclared.join(', ')}`);
  const template: Template = { ...front.data, body, source, origin };
  const plan = samplePlan(template);
  const missing = template.approvalGates.filter((key) => plan.tasks.find((t) => t.id === key)?.kind !== 'approval');
  if (missing.length) throw refused(`approvalGates names ${missing.join(', ')}, which the skeleton does not plan as approval tasks`);
  return template;
}

/** The skeleton with every variable filled; a required one (no default) missing is the caller's error. */
export function renderTemplate(template: Template, values: Record<string, string>): string {
  const unknown = Object.keys(values).filter((v) => !(v in template.variables));
  if (unknown.length) throw new AuraError('invalid_input', `Template ${template.name} has no variable ${unknown.join(', ')} (it has: ${Object.keys(template.variables).join(', ') || 'none'}).`);
  const missing = Object.entries(template.variables).filter(([name, v]) => values[name] === undefined && v.default === undefined).map(([name]) => name);
  if (missing.length) throw new AuraError('invalid_input', `Template ${template.name} needs ${missing.map((m) => `${m} (${template.variables[m]!.description})`).join('; ')}.`);
  return template.body.replace(placeholder, (_all, name: string) => values[name] ?? template.variables[name]!.default!);
}

/** The plan the skeleton yields with example (or default, or sample) values: proof the template plans at all. */
export function samplePlan(template: Template): Plan {
  const sample = Object.fromEntries(Object.entries(template.variables).map(([name, v]) => [name, v.example ?? v.default ?? `sample ${name}`]));
  try {
    return planFromMarkdown(renderTemplate(template, sample)).plan;
  } catch (error) {
    throw refused(`its PRD skeleton does not plan: ${(error as Error).message}`);
  }
}

function refused(problem: string): AuraError {
  return new AuraError('invalid_input', `Template refused: ${problem}`);
}

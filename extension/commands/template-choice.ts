// What Submit PRD asks when the Director starts from a phase template (plain, so it can be tested without VS Code).
import { z } from 'zod';

export const templateChoiceSchema = z.object({
  name: z.string(),
  version: z.number(),
  title: z.string().catch(''),
  description: z.string().catch(''),
  phases: z.array(z.string()).catch([]),
  variables: z.record(z.string(), z.object({ description: z.string().catch(''), default: z.string().optional(), example: z.string().optional() })).catch({}),
  origin: z.string().catch('shipped'),
});
export type TemplateChoice = z.infer<typeof templateChoiceSchema>;

/** The quick-pick rows: planning the PRD as written first, then each template with its phases. */
export function templatePickItems(templates: readonly TemplateChoice[], hasPrd: boolean): Array<{ label: string; description?: string; detail?: string; template: string | null }> {
  const plain = hasPrd ? [{ label: 'No template', description: 'plan the PRD as written', template: null }] : [];
  return [
    ...plain,
    ...templates.map((t) => ({
      label: t.title || t.name,
      description: `${t.name} v${t.version}${t.origin === 'saved' ? ' (saved)' : ''} · ${t.phases.join(' → ')}`,
      detail: t.description,
      template: t.name,
    })),
  ];
}

/** The variables to ask for: not given, no default, and not `prd` when the open PRD fills it. */
export function variablesToAsk(template: TemplateChoice, hasPrd: boolean, given: Record<string, string>): Array<{ name: string; prompt: string; placeHolder?: string }> {
  return Object.entries(template.variables)
    .filter(([name, v]) => given[name] === undefined && v.default === undefined && !(name === 'prd' && hasPrd))
    .map(([name, v]) => ({ name, prompt: `${template.title || template.name}: ${v.description}`, placeHolder: v.example }));
}

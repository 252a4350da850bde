// The write_prd prompt: turns an idea into a PRD in the Markdown shape the structural planner reads best.
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { text } from '../input-limits';

export const writePrdArgs = z.strictObject({
  idea: text(20_000, 1),
  constraints: text(20_000).optional(),
});

export const writePrdPrompt: Prompt = {
  name: 'write_prd',
  title: 'Write a PRD',
  description: 'Turn an idea into a PRD that Aura Orchestra plans well; then submit it with submit_prd.',
  arguments: [
    { name: 'idea', description: 'What should be built, in a few sentences.', required: true },
    { name: 'constraints', description: 'Languages, paths, budget, things not to touch.', required: false },
  ],
};

/** The planner turns headings into groups, numbered or bulleted items into tasks, checklists into acceptance. */
export function renderWritePrd(args: z.infer<typeof writePrdArgs>): GetPromptResult {
  const constraints = args.constraints ? `\n\nConstraints to respect:\n${args.constraints}` : '';
  return {
    description: 'A PRD for Aura Orchestra',
    messages: [
      {
        role: 'user',
        content: {
          type: 'text',
          text:
            `Write a product requirements document (PRD) in Markdown for this idea:\n\n${args.idea}${constraints}\n\n` +
            'Aura Orchestra decomposes the PRD into a plan of small tasks, so shape it like this:\n' +
            '- A first-level heading with the product title, then one short paragraph of purpose.\n' +
            '- One second-level heading per area of work (for example "## Data model", "## API", "## Tests").\n' +
            '- Under each heading, a numbered list of requirements. Each requirement is ONE task a single engineer can finish ' +
            'in under an hour: start with a verb, name the files or paths it touches, and keep it independent when possible.\n' +
            '- When a requirement needs another first, say so in its line: "(depends on: <words of the other requirement>)" or ' +
            '"after <the other requirement>".\n' +
            '- Under a requirement, a checklist ("- [ ] ...") of acceptance criteria; put a shell command that must exit 0 in ' +
            'backticks (for example "- [ ] `npm test` passes").\n' +
            '- A final "## Out of scope" section listing what must not be done.\n' +
            'Reply with the PRD only.',
        },
      },
    ],
  };
}

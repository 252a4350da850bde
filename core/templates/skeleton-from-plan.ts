// Writes a run's plan back as a PRD skeleton the structural planner reads into the same tasks (save_template).
import type { Plan, PlanTask } from '../manager/plan-schema';
import { TEMPLATE_API } from './template-format';
import { stringify } from 'yaml';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
/** Parentheses would read as tags; braces as placeholders. */
const plain = (text: string) => oneLine(text).replace(/[()]/g, '').replace(/\{\{/g, '{ {');

function taskLine(task: PlanTask): string {
  const tags = [`(kind: ${task.kind})`];
  if (task.skills.length) tags.push(`(skills: ${task.skills.join(', ')})`);
  // Only a declared scope is the plan's own; an inferred or default one is worked out again for the next run's repository.
  if (task.scope.length && (task.scopeSource ?? 'declared') === 'declared') tags.push(`(scope: ${task.scope.join(', ')})`);
  if (task.dependsOn.length) tags.push(`(after ${task.dependsOn.map((d) => `\`${d}\``).join(', ')})`);
  tags.push(`(attempts: ${task.maxAttempts})`, `(timeout: ${Math.round(task.timeoutMs / 1000)}s)`);
  const description = task.description && oneLine(task.description) !== oneLine(task.title) ? ` — ${plain(task.description)}` : '';
  const lines = [`- \`${task.id}\`: **${plain(task.title)}**${description} ${tags.join(' ')}`];
  for (const criterion of task.acceptance.criteria) lines.push(`  - [ ] ${plain(criterion)}`);
  for (const command of task.acceptance.commands) lines.push(`  - [ ] \`${command}\``);
  return lines.join('\n');
}

export function templateFromPlan(plan: Plan, meta: { name: string; version: number; title: string; description: string }): string {
  const front = {
    apiVersion: TEMPLATE_API,
    name: meta.name,
    version: meta.version,
    title: meta.title,
    description: meta.description,
    phases: ['Plan'],
    approvalGates: plan.tasks.filter((t) => t.kind === 'approval').map((t) => t.id),
    suggestedSkills: [...new Set(plan.tasks.flatMap((t) => t.skills))],
  };
  return `---\n${stringify(front).trimEnd()}\n---\n# ${plain(plan.title)}\n\n## Plan\n${plan.tasks.map(taskLine).join('\n')}\n`;
}

// The prompt a real coding agent gets: the assignment in plain words, for an agent that knows nothing of Aura.
import type { Assignment } from '../worker';

function bullets(items: readonly string[], format: (s: string) => string = (s) => s): string {
  return items.map((s) => `- ${format(s)}`).join('\n');
}

/**
 * The task, its acceptance criteria and commands, its scope, the run's context and what finished before it, and the
 * rules of the container (no one answers questions; leave the changes uncommitted, the worker commits them).
 */
export function buildAgentPrompt(a: Assignment, hasWorkspace: boolean): string {
  const t = a.task;
  const parts: string[] = [
    `You are ${a.employee.profile.name}, a coding agent working on the project "${a.context.runTitle}".`,
    hasWorkspace
      ? 'Your working directory /workspace is a git worktree of the project. Work only inside it.'
      : 'You have no workspace for this task: answer in your final message.',
    `# Task: ${t.title}`,
  ];
  if (t.description.trim()) parts.push(t.description.trim());
  if (t.acceptance.criteria.length) parts.push(`## Acceptance criteria\n${bullets(t.acceptance.criteria)}`);
  if (t.acceptance.commands.length) {
    parts.push(`## Acceptance commands\nThese must exit 0 when you are done; run them yourself before you finish:\n${bullets(t.acceptance.commands, (c) => `\`${c}\``)}`);
  }
  parts.push(
    t.scope.length
      ? `## Scope\nChange only files matching these paths:\n${bullets(t.scope, (s) => `\`${s}\``)}`
      : '## Scope\nThis task changes no files.',
  );
  if (a.context.dependencies.length) {
    parts.push(`## Finished before this task\n${bullets(a.context.dependencies.map((d) => `${d.title}: ${d.summary}`))}`);
  }
  parts.push(
    [
      '## How to work',
      '- Nobody will answer questions or approve anything: decide and act on your own.',
      '- Do not run git commit, push or change branches: leave your changes in the working tree; they are committed for you.',
      '- Do not touch the .aura/ folder.',
      '- Finish with a short summary of what you changed and whether the acceptance commands passed.',
    ].join('\n'),
  );
  return parts.join('\n\n') + '\n';
}

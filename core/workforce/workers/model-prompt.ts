// The messages a model employee gets: its task, what the workspace holds, and (in later rounds) what went wrong.
import fs from 'node:fs';
import path from 'node:path';
import type { ExecResult } from '../../containers/container-runtime';
import { scopeMatcher } from '../../workspace/scope';
import type { ChatMessage } from '../model-provider';
import type { Assignment } from '../worker';

const MAX_LISTED = 300;
const MAX_FILE_SHOWN = 16 * 1024;
const MAX_SHOWN_TOTAL = 64 * 1024;
const MAX_OUTPUT_SHOWN = 4 * 1024;

export interface WorkspaceSnapshot {
  files: string[];
  /** Contents of files inside the task's scope (small text files only). */
  shown: Array<{ path: string; content: string }>;
  more: boolean;
}

/**
 * Lists the worktree as git checked it out (before the container ran). Links are never followed: a committed
 * symlink to a host file must not carry that file into a prompt sent to a model endpoint.
 */
export function snapshotWorkspace(workdir: string | undefined, scope: readonly string[]): WorkspaceSnapshot {
  const out: WorkspaceSnapshot = { files: [], shown: [], more: false };
  if (!workdir) return out;
  const inScope = scopeMatcher(scope);
  let shownBytes = 0;
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.files.length >= MAX_LISTED) return void (out.more = true);
      if (rel === '' && (entry.name === '.git' || entry.name === '.aura')) continue;
      const relative = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relative);
      else if (entry.isFile()) {
        out.files.push(relative);
        const stat = fs.lstatSync(path.join(dir, entry.name));
        if (inScope.allows(relative) && stat.isFile() && stat.size <= MAX_FILE_SHOWN && shownBytes + stat.size <= MAX_SHOWN_TOTAL) {
          const content = fs.readFileSync(path.join(dir, entry.name), 'utf8');
          if (!content.includes('\u0000')) {
            out.shown.push({ path: relative, content });
            shownBytes += stat.size;
          }
        }
      }
    }
  };
  walk(workdir, '');
  return out;
}

function systemPrompt(a: Assignment): string {
  return [
    `You are ${a.employee.profile.name}, an employee of Aura Orchestra, working on one task of the run "${a.context.runTitle}".`,
    'You work in a git repository mounted at /workspace inside an isolated Linux container (busybox sh, node, git; no network).',
    'You cannot talk to anyone: answer with one JSON object only, matching this shape:',
    '{"summary": "what you did", "actions": [{"type": "write_file", "path": "relative/path", "content": "whole new file"}, {"type": "delete_file", "path": "relative/path"}, {"type": "run", "command": "sh command line"}]}',
    'Actions run in order. write_file replaces the whole file. run executes `sh -c` in /workspace; its exit code and output are recorded.',
    a.task.scope.length
      ? `You may write or delete only paths inside the task's scope: ${a.task.scope.join(', ')}. A plan that touches anything else is refused.`
      : 'This task changes no files: use no write_file or delete_file action.',
    'After your actions the acceptance commands run. If one fails you are shown its output and may answer with more actions (the workspace keeps your earlier changes).',
  ].join('\n');
}

function taskPrompt(a: Assignment, snapshot: WorkspaceSnapshot): string {
  const t = a.task;
  const parts = [`# Task ${t.id}: ${t.title}`, `Kind: ${t.kind}`];
  if (t.description) parts.push('', t.description);
  if (t.acceptance.criteria.length) parts.push('', '## Acceptance criteria', ...t.acceptance.criteria.map((c) => `- ${c}`));
  if (t.acceptance.commands.length) parts.push('', '## Acceptance commands (must exit 0, run in /workspace)', ...t.acceptance.commands.map((c) => `- \`${c}\``));
  if (a.context.dependencies.length) parts.push('', '## Finished before this task', ...a.context.dependencies.map((d) => `- ${d.title}: ${d.summary}`));
  if (a.context.memory?.length) parts.push('', '## From memory', ...a.context.memory.map((m) => `### ${m.uri} (v${m.version})\n${m.content.trim()}`));
  parts.push('', '## Files in /workspace', snapshot.files.length ? snapshot.files.map((f) => `- ${f}`).join('\n') : '(empty)');
  if (snapshot.more) parts.push(`(only the first ${MAX_LISTED} are listed)`);
  for (const file of snapshot.shown) parts.push('', `## ${file.path}`, '```', file.content, '```');
  return parts.join('\n');
}

export function initialMessages(a: Assignment, snapshot: WorkspaceSnapshot): ChatMessage[] {
  return [
    { role: 'system', content: systemPrompt(a) },
    { role: 'user', content: taskPrompt(a, snapshot) },
  ];
}

function tail(text: string): string {
  return text.length > MAX_OUTPUT_SHOWN ? `[...]\n${text.slice(-MAX_OUTPUT_SHOWN)}` : text;
}

/** Feedback after a round whose answer was unusable (not JSON, wrong shape, out of scope). */
export function invalidAnswerFeedback(problem: string): ChatMessage {
  return { role: 'user', content: `Your answer could not be used: ${problem}\nAnswer again with one JSON object of the required shape.` };
}

/** Feedback after a round whose acceptance commands (or own commands) failed. */
export function failedChecksFeedback(failures: ReadonlyArray<{ command: string; result: ExecResult }>): ChatMessage {
  const lines = failures.map((f) => [`$ ${f.command}  (exit ${f.result.exitCode}${f.result.reason !== 'exited' ? `, ${f.result.reason}` : ''})`, tail(f.result.stdout), tail(f.result.stderr)].filter(Boolean).join('\n'));
  return { role: 'user', content: `These commands failed:\n\n${lines.join('\n\n')}\n\nAnswer with the actions that fix it (your earlier changes are still in /workspace).` };
}

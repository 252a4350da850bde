// The Markdown preview of an approval a Director reads before deciding (plain, so it can be tested without VS Code).
import type { Approval } from '../../webview-ui/protocol/aura-data';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const fence = (text: string, lang = '') => `\`\`\`${lang}\n${text.replace(/```/g, '`\u200b``')}\n\`\`\``;

/** What is asked, in words: the task and its acceptance, the command held, the plan, the rule that asked. */
function previewMarkdown(preview: unknown): string[] {
  if (preview === undefined || preview === null) return [];
  const p = obj(preview);
  if (!p) return [typeof preview === 'string' ? preview : fence(JSON.stringify(preview, null, 2), 'json')];
  const out: string[] = [];
  const task = obj(p.task);
  if (task) {
    out.push(`## Task: ${String(task.title ?? task.id ?? '')} (${String(task.kind ?? 'task')})`, '');
    if (typeof task.description === 'string' && task.description !== task.title) out.push(task.description, '');
    const acceptance = obj(task.acceptance);
    const lines = [...strs(acceptance?.criteria).map((c) => `- ${c}`), ...strs(acceptance?.commands).map((c) => `- \`${c}\` succeeds`)];
    if (lines.length) out.push('Acceptance:', '', ...lines, '');
    if (strs(task.scope).length) out.push(`May change: ${strs(task.scope).map((s) => `\`${s}\``).join(', ')}`, '');
  }
  if (typeof p.command === 'string') out.push('## Command held for approval', '', fence(p.command, 'sh'), '');
  const plan = obj(p.plan);
  if (plan && Array.isArray(plan.tasks)) out.push(`## Plan: ${plan.tasks.length} tasks`, '', ...(plan.tasks as Json[]).slice(0, 100).map((t, i) => `${i + 1}. ${String(t.title ?? t.id ?? '')}`), '');
  const rule = obj(p.policyRule);
  if (rule) out.push(`Asked by policy rule **${String(rule.name)}**: ${String(rule.reason ?? '')}`, '');
  if (p.proposal !== undefined) out.push('## Proposed change', '', fence(JSON.stringify(p.proposal, null, 2), 'json'), '');
  return out;
}

export function approvalMarkdown(a: Approval): string {
  return [
    `# ${a.title ?? `Approval ${a.id}`}`,
    '',
    `- kind: ${a.kind ?? '-'}`,
    `- run: ${a.runId ?? '-'}${a.taskId ? `, task: ${a.taskId}` : ''}`,
    `- requested: ${a.createdAt ?? '-'}`,
    '',
    a.summary ?? '',
    '',
    ...previewMarkdown(a.preview),
  ].join('\n');
}

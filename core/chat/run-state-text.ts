// A plain account of a run in words: what the Manager knows without a model, and what it gives its model.
import type { RunDetail } from '../runs/run-queries';

const usd = (n: number) => `$${n.toFixed(4).replace(/0+$/, '').replace(/\.$/, '.00')}`;

/** A plain account of the run that answers the common questions: where it stands, what blocks it, what it cost. */
export function describeRunState(run: RunDetail, question: string): string {
  const p = run.progress;
  const lines = [
    `Run "${run.title}" (${run.id}) is ${run.status}${run.statusReason ? ` (${run.statusReason})` : ''}.`,
    `Progress: ${p.succeeded + p.skipped} of ${p.total} tasks done (${p.succeeded} succeeded, ${p.skipped} skipped); ${p.running} running, ${p.ready} ready, ${p.pending} waiting on dependencies, ${p.retry_wait} waiting to retry, ${p.awaiting_approval} awaiting approval, ${p.dead_letter} dead-lettered.`,
    `Cost so far: ${usd(run.costUsd)}${run.budgetUsd !== null ? ` of a ${usd(run.budgetUsd)} budget` : ' (no budget set)'}.`,
  ];
  const tasks = run.tasks.filter((t) => t.inPlan);
  const running = tasks.filter((t) => t.status === 'running');
  if (running.length) lines.push(`Running now: ${running.map((t) => `${t.key}${t.employeeId ? ` (${t.employeeId}, attempt ${t.attempt})` : ''}`).join(', ')}.`);
  const dead = tasks.filter((t) => t.status === 'dead_letter');
  if (dead.length) lines.push(`Dead-lettered (retry_task, skip_task or cancel_run): ${dead.map((t) => `${t.key} — ${t.lastError ?? 'no reason recorded'}`).join('; ')}.`);
  if (run.pendingApprovals.length) lines.push(`Waiting for you: ${run.pendingApprovals.map((a) => `${a.id} (${a.subject}${a.taskId ? ` ${a.taskId}` : ''}: ${a.reason})`).join('; ')}.`);
  const failing = tasks.filter((t) => t.lastError && t.status !== 'dead_letter' && t.status !== 'succeeded');
  if (failing.length) lines.push(`Recent failures: ${failing.map((t) => `${t.key} (attempt ${t.attempt}): ${t.lastError}`).join('; ')}.`);
  // Tasks the question names (by key or title) get their own line.
  const q = question.toLowerCase();
  for (const t of tasks.filter((t) => q.includes(t.key.toLowerCase()) || (t.title.length > 3 && q.includes(t.title.toLowerCase())))) {
    lines.push(`Task ${t.key} "${t.title}": ${t.status}, attempt ${t.attempt} of ${t.maxAttempts}${t.employeeId ? `, with ${t.employeeId}` : ''}${t.dependsOn.length ? `, after ${t.dependsOn.join(', ')}` : ''}${t.result ? `; result: ${t.result.summary}` : ''}${t.lastError ? `; last error: ${t.lastError}` : ''}.`);
  }
  return lines.join('\n');
}

// chat_manager: the Director asks the Manager about a run; the planner model answers from the run's state when one is
// configured, otherwise the answer is composed plainly from that state.
import { z } from 'zod';
import { runIdSchema } from '../../../core/orchestrator';
import type { RunDetail } from '../../../core/runs/run-queries';
import { OPERATORS } from '../../auth/roles';
import { text } from '../input-limits';
import { withHeartbeat } from '../progress';
import type { McpServices } from '../services';
import { defineTool, READ_ONLY, type ToolDefinition } from '../tool-definition';

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

export function chatTools(services: McpServices): ToolDefinition[] {
  const orchestrator = services.orchestrator;
  if (!orchestrator) return [];
  const chatManager = defineTool({
    name: 'chat_manager',
    title: 'Chat with the Manager',
    group: 'chat',
    description: "Ask the Manager about a run (progress, blockers, failures, cost). Answers from the run's recorded state.",
    roles: OPERATORS,
    input: z.strictObject({ runId: runIdSchema.describe('run id'), question: text(4000, 1) }),
    output: z.object({ answer: z.string(), source: z.string().describe('"state", or "model:<provider>/<model>"'), runStatus: z.string() }),
    annotations: { ...READ_ONLY, openWorldHint: services.plannerModel !== undefined },
    async run(args, { progress, signal }) {
      const run = await orchestrator.runs.get(args.runId);
      const plain = describeRunState(run, args.question);
      const model = services.plannerModel;
      if (!model) return { answer: plain, source: 'state', runStatus: run.status };
      try {
        const reply = await withHeartbeat(
          progress,
          'asking the planner model',
          model.complete({
            signal,
            temperature: 0,
            maxTokens: 800,
            messages: [
              { role: 'system', content: 'You are the Manager of Aura Orchestra, answering the Director about one run. Use only the run state given; say so when it does not tell. Be brief and concrete.' },
              { role: 'user', content: `Run state:\n${plain}\n\nPlan (key: status, dependsOn):\n${run.tasks.filter((t) => t.inPlan).map((t) => `${t.key}: ${t.status}${t.dependsOn.length ? ` after ${t.dependsOn.join(',')}` : ''}`).join('\n')}\n\nQuestion: ${args.question}` },
            ],
          }),
        );
        return { answer: reply.text.trim() || plain, source: `model:${model.provider}/${model.model}`, runStatus: run.status };
      } catch (error) {
        // The model is a convenience: without it the recorded state still answers.
        return { answer: `${plain}\n(The planner model did not answer: ${(error as Error).message.slice(0, 200)})`, source: 'state', runStatus: run.status };
      }
    },
  });
  return [chatManager];
}

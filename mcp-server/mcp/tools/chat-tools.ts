// The chat tools. chat_manager: the Director asks the Manager about a run; the planner model answers from the run's
// state when one is configured, otherwise the answer is composed plainly from that state; both go to the run's chat.
// get_chat and post_message: read and post to the run's group chat.
import { z } from 'zod';
import { AuraError } from '../../../core/domain/errors';
import { runIdSchema } from '../../../core/orchestrator';
import { describeRunState } from '../../../core/chat/run-state-text';
import { CHAT_PAGE_MAX, questionIdSchema } from '../../../core/chat/chat-inputs';
import { taskIdSchema } from '../../../core/orchestrator';
import { OPERATORS, READERS } from '../../auth/roles';
import { chatServiceOf } from '../chat-service-of';
import { text } from '../input-limits';
import { withHeartbeat } from '../progress';
import type { McpServices } from '../services';
import { ADDITIVE, defineTool, READ_ONLY, type ToolContext, type ToolDefinition } from '../tool-definition';

export { describeRunState };

const speaker = z.object({ role: z.string(), id: z.string().nullable(), name: z.string().nullable() });
export const chatQuestionView = z.object({
  id: z.string(),
  runId: z.string(),
  taskId: z.string(),
  employeeId: z.string(),
  attempt: z.number().int(),
  question: z.string(),
  status: z.enum(['open', 'answered']),
  answer: z.string().nullable(),
  answeredBy: z.string().nullable(),
  source: z.string().nullable(),
  askedAt: z.string(),
  answeredAt: z.string().nullable(),
});
export const chatView = z.object({
  runId: z.string(),
  entries: z.array(
    z.object({
      seq: z.number().int(),
      eventId: z.number().int(),
      type: z.string(),
      kind: z.string().describe('message, assignment, progress, question, answer, escalation, verdict'),
      at: z.string(),
      from: speaker,
      to: speaker.nullable(),
      text: z.string(),
      taskId: z.string().nullable(),
      questionId: z.string().nullable(),
      evidenceHash: z.string().nullable(),
    }),
  ),
  lastSeq: z.number().int(),
  hasMore: z.boolean(),
  openQuestions: z.array(chatQuestionView),
});

export function chatTools(services: McpServices): ToolDefinition[] {
  const orchestrator = services.orchestrator;
  if (!orchestrator) return [];
  const chatManager = defineTool({
    name: 'chat_manager',
    title: 'Chat with the Manager',
    group: 'chat',
    description: "Ask the Manager about a run (progress, blockers, failures, cost). Answers from the run's recorded state; the question and the answer are posted to the run's chat.",
    roles: OPERATORS,
    input: z.strictObject({ runId: runIdSchema.describe('run id'), question: text(4000, 1) }),
    output: z.object({ answer: z.string(), source: z.string().describe('"state", or "model:<provider>/<model>"'), runStatus: z.string() }),
    annotations: { ...ADDITIVE, openWorldHint: services.plannerModel !== undefined },
    async run(args, ctx) {
      if (!args.question.trim()) throw new AuraError('invalid_input', 'Invalid question: the question is empty.');
      const reply = await answerDirector(args, ctx);
      await chatServiceOf(services, orchestrator).recordExchange({ runId: args.runId, question: args.question, answer: reply.answer, source: reply.source }, { actor: ctx.actor, role: ctx.principal.role === 'director' ? 'director' : 'operator' });
      return reply;
    },
  });
  async function answerDirector(args: { runId: string; question: string }, { progress, signal }: ToolContext): Promise<{ answer: string; source: string; runStatus: string }> {
    const run = await orchestrator!.runs.get(args.runId);
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
  }
  const getChat = defineTool({
    name: 'get_chat',
    title: 'Read the run chat',
    group: 'chat',
    description: "A run's group chat, oldest first: messages, the Manager's assignments, employees' progress and questions, answers, the Auditor's verdicts; and the questions waiting for the Director. Without afterSeq the latest entries.",
    roles: READERS,
    input: z.strictObject({
      runId: runIdSchema.describe('run id'),
      afterSeq: z.number().int().min(0).optional().describe("read on after this entry's seq (a page's lastSeq)"),
      limit: z.number().int().min(1).max(CHAT_PAGE_MAX).optional().describe('entries per page (default 100)'),
    }),
    output: chatView,
    annotations: READ_ONLY,
    run: (args) => chatServiceOf(services, orchestrator).read(args),
  });
  const postMessage = defineTool({
    name: 'post_message',
    title: 'Post to the run chat',
    group: 'chat',
    description: "Post a message to a run's chat, optionally about a task. With replyTo (Director only) it answers an employee's open question: the employee reads the answer in get_assignment.",
    roles: OPERATORS,
    input: z.strictObject({
      runId: runIdSchema.describe('run id'),
      text: text(8000, 1),
      taskId: taskIdSchema.optional().describe('the task the message is about'),
      replyTo: questionIdSchema.optional().describe('an open question this answers (q_…)'),
    }),
    output: z.object({ messageId: z.string(), seq: z.number().int(), answered: chatQuestionView.nullable() }),
    annotations: ADDITIVE,
    run: (args, ctx) => chatServiceOf(services, orchestrator).post(args, { actor: ctx.actor, role: ctx.principal.role === 'director' ? 'director' : 'operator' }),
  });
  return [chatManager, getChat, postMessage];
}

// The run's group chat: read it (a page of entries and the questions waiting for the Director), post to it, and the
// employee's question to the Manager: answered by the Manager at once, or escalated to the Director, whose reply
// (post_message with replyTo) is the answer the employee reads. Every message is an event in the run's stream.
import type { CoreContext } from '../core-context';
import { AuraError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { NewEvent } from '../events/event-log';
import { parseInput } from '../runs/inputs';
import type { Queryable } from '../store/store';
import { askManagerInputSchema, listChatInputSchema, postMessageInputSchema, type AskManagerInput, type ListChatInput, type PostMessageInput } from './chat-inputs';
import { type ChatPage, readChat } from './chat-entries';
import { managerAnswer, type ManagerAnswerDeps } from './manager-answer';

export type ChatPosterRole = 'director' | 'operator';

export interface ChatQuestion {
  id: string;
  runId: string;
  taskId: string;
  employeeId: string;
  attempt: number;
  question: string;
  status: 'open' | 'answered';
  answer: string | null;
  answeredBy: string | null;
  source: string | null;
  askedAt: string;
  answeredAt: string | null;
}

interface QuestionRow {
  id: string;
  run_id: string;
  task_id: string;
  employee_id: string;
  attempt: number;
  question: string;
  status: 'open' | 'answered';
  answer: string | null;
  answered_by: string | null;
  source: string | null;
  asked_at: Date | string;
  answered_at: Date | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const toQuestion = (r: QuestionRow): ChatQuestion => ({
  id: r.id,
  runId: r.run_id,
  taskId: r.task_id,
  employeeId: r.employee_id,
  attempt: Number(r.attempt),
  question: r.question,
  status: r.status,
  answer: r.answer,
  answeredBy: r.answered_by,
  source: r.source,
  askedAt: iso(r.asked_at)!,
  answeredAt: iso(r.answered_at),
});

export interface ChatView extends ChatPage {
  runId: string;
  /** Employees' questions waiting for the Director's reply (post_message with replyTo). */
  openQuestions: ChatQuestion[];
}

export interface ChatService {
  read(input: ListChatInput): Promise<ChatView>;
  post(input: PostMessageInput, by: { actor: string; role: ChatPosterRole }): Promise<{ messageId: string; seq: number; answered: ChatQuestion | null }>;
  ask(input: AskManagerInput, by: { actor: string }, signal?: AbortSignal): Promise<ChatQuestion>;
  /** The Director's question to the Manager (chat_manager) and its answer, recorded as two messages together. */
  recordExchange(input: { runId: string; question: string; answer: string; source: string }, by: { actor: string; role: ChatPosterRole }): Promise<void>;
  /** An employee's questions on a task, newest first (what get_assignment shows it). */
  questionsOf(taskId: string, employeeId: string): Promise<ChatQuestion[]>;
}

export type ChatServiceDeps = Pick<CoreContext, 'store' | 'events' | 'clock'> & ManagerAnswerDeps;

async function requireRun(q: Queryable, runId: string): Promise<void> {
  const found = (await q.query('SELECT 1 FROM aura.runs WHERE id = $1', [runId])).rows[0];
  if (!found) throw new AuraError('not_found', `No run ${runId}.`);
}

async function requireTaskOfRun(q: Queryable, runId: string, taskId: string): Promise<void> {
  const row = (await q.query<{ run_id: string }>('SELECT run_id FROM aura.tasks WHERE id = $1', [taskId])).rows[0];
  if (!row) throw new AuraError('not_found', `No task ${taskId}.`);
  if (row.run_id !== runId) throw new AuraError('invalid_input', `Task ${taskId} belongs to run ${row.run_id}, not ${runId}.`);
}

export function createChatService(deps: ChatServiceDeps): ChatService {
  const { store, events, clock } = deps;
  return {
    async read(input) {
      const p = parseInput(listChatInputSchema, input, 'chat read');
      await requireRun(store, p.runId);
      const page = await readChat(store, p.runId, { afterSeq: p.afterSeq, limit: p.limit ?? 100 });
      const open = (await store.query<QuestionRow>(`SELECT * FROM aura.chat_questions WHERE run_id = $1 AND status = 'open' ORDER BY asked_at`, [p.runId])).rows;
      return { runId: p.runId, ...page, openQuestions: open.map(toQuestion) };
    },

    async post(input, by) {
      const p = parseInput(postMessageInputSchema, input, 'message');
      if (p.replyTo && by.role !== 'director') throw new AuraError('forbidden', `Only the Director answers an employee's question (${p.replyTo}); post without replyTo to comment.`);
      return store.transaction(async (tx) => {
        await requireRun(tx, p.runId);
        if (p.taskId) await requireTaskOfRun(tx, p.runId, p.taskId);
        const messageId = newId('msg', clock.now());
        let answered: ChatQuestion | null = null;
        let taskId = p.taskId ?? null;
        const more: NewEvent[] = [];
        if (p.replyTo) {
          const row = (await tx.query<QuestionRow>('SELECT * FROM aura.chat_questions WHERE id = $1 FOR UPDATE', [p.replyTo])).rows[0];
          if (!row || row.run_id !== p.runId) throw new AuraError('not_found', `Run ${p.runId} has no question ${p.replyTo}.`);
          if (row.status !== 'open') throw new AuraError('conflict', `Question ${row.id} was already answered by ${row.answered_by}.`);
          if (p.taskId && p.taskId !== row.task_id) throw new AuraError('invalid_input', `Question ${row.id} is about task ${row.task_id}, not ${p.taskId}.`);
          taskId = row.task_id;
          const at = clock.now().toISOString();
          const updated = (
            await tx.query<QuestionRow>(`UPDATE aura.chat_questions SET status = 'answered', answer = $2, answered_by = $3, source = 'director', answered_at = $4 WHERE id = $1 RETURNING *`, [row.id, p.text, by.actor, at])
          ).rows[0]!;
          answered = toQuestion(updated);
          more.push({ type: 'QuestionAnswered', actor: by.actor, runId: p.runId, taskId, payload: { questionId: row.id, by: 'director', source: 'director', answer: p.text } });
        }
        const [posted] = await events.appendIn(tx, [
          { type: 'ChatMessagePosted', actor: by.actor, runId: p.runId, taskId, payload: { messageId, role: by.role, text: p.text, ...(p.replyTo ? { replyTo: p.replyTo } : {}) } },
          ...more,
        ]);
        return { messageId, seq: posted!.seq, answered };
      });
    },

    async ask(input, by, signal) {
      const p = parseInput(askManagerInputSchema, input, 'question');
      await requireTaskOfRun(store, p.runId, p.taskId);
      // The model is asked outside the transaction; the question and its outcome are then recorded together.
      const verdict = await managerAnswer(deps, store, p, signal);
      return store.transaction(async (tx) => {
        const now = clock.now();
        const id = newId('q', now);
        const at = now.toISOString();
        const row = (
          await tx.query<QuestionRow>(
            `INSERT INTO aura.chat_questions (id, run_id, task_id, employee_id, attempt, question, status, answer, answered_by, source, asked_at, answered_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
            verdict.answered
              ? [id, p.runId, p.taskId, p.employeeId, p.attempt, p.question, 'answered', verdict.answer, 'manager', verdict.source, at, at]
              : [id, p.runId, p.taskId, p.employeeId, p.attempt, p.question, 'open', null, null, null, at, null],
          )
        ).rows[0]!;
        const base = { runId: p.runId, taskId: p.taskId };
        await events.appendIn(tx, [
          { ...base, type: 'QuestionAsked', actor: by.actor, payload: { questionId: id, employeeId: p.employeeId, attempt: p.attempt, question: p.question } },
          verdict.answered
            ? { ...base, type: 'QuestionAnswered', actor: 'manager', payload: { questionId: id, by: 'manager', source: verdict.source, answer: verdict.answer } }
            : { ...base, type: 'QuestionEscalated', actor: 'manager', payload: { questionId: id, employeeId: p.employeeId, question: p.question, reason: verdict.reason } },
        ]);
        return toQuestion(row);
      });
    },

    async recordExchange(input, by) {
      const question = parseInput(postMessageInputSchema, { runId: input.runId, text: input.question }, 'question');
      const answer = `${input.answer.slice(0, 7800)}\n(${input.source.slice(0, 150)})`;
      await store.transaction(async (tx) => {
        await requireRun(tx, question.runId);
        const at = clock.now();
        await events.appendIn(tx, [
          { type: 'ChatMessagePosted', actor: by.actor, runId: question.runId, payload: { messageId: newId('msg', at), role: by.role, text: question.text } },
          { type: 'ChatMessagePosted', actor: 'manager', runId: question.runId, payload: { messageId: newId('msg', at), role: 'manager', text: answer } },
        ]);
      });
    },

    async questionsOf(taskId, employeeId) {
      const rows = (await store.query<QuestionRow>('SELECT * FROM aura.chat_questions WHERE task_id = $1 AND employee_id = $2 ORDER BY asked_at DESC LIMIT 50', [taskId, employeeId])).rows;
      return rows.map(toQuestion);
    },
  };
}

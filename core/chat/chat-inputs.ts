// The chat's inputs, zod-validated at every entry point (the shells pass what they were given).
import { z } from 'zod';
import { runIdSchema, taskIdSchema } from '../runs/inputs';

export const questionIdSchema = z.string().regex(/^q_[a-z0-9]{1,40}$/, 'expected a question id (q_…)');
const message = (max: number) => z.string().trim().min(1, 'the message is empty').max(max, `at most ${max} characters`);

export const CHAT_PAGE_MAX = 500;

export const listChatInputSchema = z.strictObject({
  runId: runIdSchema,
  /** Entries after this seq of the run's stream, oldest first; without it the latest `limit` entries. */
  afterSeq: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(CHAT_PAGE_MAX).optional(),
});
export type ListChatInput = z.infer<typeof listChatInputSchema>;

export const postMessageInputSchema = z.strictObject({
  runId: runIdSchema,
  text: message(8000),
  /** The task the message is about (it must belong to the run). */
  taskId: taskIdSchema.optional(),
  /** An open question this message answers: the answer reaches the asking employee. */
  replyTo: questionIdSchema.optional(),
});
export type PostMessageInput = z.infer<typeof postMessageInputSchema>;

export const askManagerInputSchema = z.strictObject({
  runId: runIdSchema,
  taskId: taskIdSchema,
  employeeId: z.string().min(1).max(100),
  attempt: z.number().int().min(1),
  question: message(4000),
});
export type AskManagerInput = z.infer<typeof askManagerInputSchema>;

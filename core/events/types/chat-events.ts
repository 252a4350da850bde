// Event types of a run's group chat. Every message between the Director, the Manager and its employees is one of
// these in the run's stream (with the Manager's assignments, employees' progress and the Auditor's verdicts, which
// the chat shows as they are recorded).
import { z } from 'zod';

const role = z.enum(['director', 'operator', 'manager', 'employee']);
const questionId = z.string().regex(/^q_[a-z0-9]+$/);

export const chatEvents = {
  /** A message posted to the run's chat; `replyTo` when it answers an open question. */
  ChatMessagePosted: z.object({ messageId: z.string(), role, text: z.string().min(1).max(8000), replyTo: questionId.optional() }),
  /** An employee asked the Manager (ask_manager) about its assigned task. */
  QuestionAsked: z.object({ questionId, employeeId: z.string(), attempt: z.number().int().positive(), question: z.string().min(1).max(4000) }),
  /** The question was answered: by the Manager (its planner model, or memory) or by the Director. */
  QuestionAnswered: z.object({ questionId, by: z.enum(['manager', 'director']), source: z.string(), answer: z.string().min(1).max(8000) }),
  /** The Manager could not answer: the question waits for the Director (post_message with replyTo). */
  QuestionEscalated: z.object({ questionId, employeeId: z.string(), question: z.string().min(1).max(4000), reason: z.string() }),
} as const;

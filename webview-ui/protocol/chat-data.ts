// What the console reads from the run chat (get_chat, aura://runs/{id}/chat), parsed with zod into what the Chat page draws.
import { z } from 'zod';

const speakerSchema = z.object({ role: z.string().catch('?'), id: z.string().nullish(), name: z.string().nullish() });
export type ChatSpeakerRow = z.infer<typeof speakerSchema>;

export const chatEntrySchema = z
  .object({
    seq: z.number().int(),
    kind: z.string().catch('message'),
    at: z.string().catch(''),
    from: speakerSchema,
    to: speakerSchema.nullish(),
    text: z.string().catch(''),
    taskId: z.string().nullish(),
    questionId: z.string().nullish(),
    evidenceHash: z.string().nullish(),
  })
  .passthrough();
export type ChatEntryRow = z.infer<typeof chatEntrySchema>;

export const chatQuestionSchema = z
  .object({ id: z.string(), taskId: z.string(), employeeId: z.string(), question: z.string().catch(''), askedAt: z.string().catch(''), status: z.string().catch('open') })
  .passthrough();
export type ChatQuestionRow = z.infer<typeof chatQuestionSchema>;

/** "Manager", "Director (local)", "employee coder-1", "Auditor". */
export function speakerLabel(s: ChatSpeakerRow | null | undefined): string {
  if (!s) return '';
  const role = s.role === 'director' ? 'Director' : s.role === 'operator' ? 'Operator' : s.role === 'manager' ? 'Manager' : s.role === 'auditor' ? 'Auditor' : 'Employee';
  const who = s.name ?? s.id;
  return who ? `${role} ${who}` : role;
}

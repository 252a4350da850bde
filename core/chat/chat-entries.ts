// A run's chat read from its event stream: the chat's own events, the Manager's assignments, employees' progress and
// the Auditor's verdicts, each turned into an entry saying who said what, about which task, with which evidence.
import type { EventType } from '../events/catalog';
import { eventColumns, type EventRow, type StoredEvent, toStoredEvent } from '../events/stored-event';
import type { Queryable } from '../store/store';

export const chatEventTypes = [
  'ChatMessagePosted',
  'QuestionAsked',
  'QuestionAnswered',
  'QuestionEscalated',
  'TaskAssigned',
  'TaskProgress',
  'VerificationPassed',
  'VerificationFailed',
] as const satisfies readonly EventType[];

export type ChatRole = 'director' | 'operator' | 'manager' | 'employee' | 'auditor';
export type ChatEntryKind = 'message' | 'assignment' | 'progress' | 'question' | 'answer' | 'escalation' | 'verdict';

export interface ChatSpeaker {
  role: ChatRole;
  /** The employee's id, the token's name, or null (the Manager, the Auditor). */
  id: string | null;
  /** The employee's name when the speaker is one. */
  name: string | null;
}

export interface ChatEntry {
  /** The event's seq in the run's stream: the paging cursor. */
  seq: number;
  eventId: number;
  type: string;
  kind: ChatEntryKind;
  at: string;
  from: ChatSpeaker;
  /** Whom it is addressed to, when it is (an assignment's employee, a question's asker). */
  to: ChatSpeaker | null;
  text: string;
  taskId: string | null;
  questionId: string | null;
  /** The Auditor's evidence for a verdict (get_evidence {hash}). */
  evidenceHash: string | null;
}

/** `director:local` → director/local; `operator:ci#tok_…` → operator/ci; `employee:emp_…` → employee/emp_…. */
function speakerOfActor(actor: string): ChatSpeaker {
  const [role, rest = ''] = actor.split(/:(.*)/s, 2) as [string, string?];
  if (role === 'director' || role === 'operator') return { role, id: rest.split('#')[0] || null, name: null };
  if (role === 'employee') return { role, id: rest || null, name: null };
  return { role: 'manager', id: null, name: null };
}

const manager: ChatSpeaker = { role: 'manager', id: null, name: null };
const employee = (id: string): ChatSpeaker => ({ role: 'employee', id, name: null });

function entryOf(e: StoredEvent): ChatEntry {
  const base = { seq: e.seq, eventId: e.id, type: e.type, at: e.occurredAt.toISOString(), taskId: e.taskId, to: null, questionId: null, evidenceHash: null };
  const p = e.payload as Record<string, unknown>;
  switch (e.type) {
    case 'ChatMessagePosted': {
      const from = p.role === 'manager' ? manager : speakerOfActor(e.actor);
      // The Director's reply to a question is the answer the employee reads (its QuestionAnswered is not shown twice).
      return { ...base, kind: p.replyTo ? 'answer' : 'message', from, text: String(p.text), questionId: (p.replyTo as string | undefined) ?? null };
    }
    case 'QuestionAsked':
      return { ...base, kind: 'question', from: employee(String(p.employeeId)), to: manager, text: String(p.question), questionId: String(p.questionId) };
    case 'QuestionAnswered': // the Manager's (the Director's is the message that replies)
      return { ...base, kind: 'answer', from: manager, text: `${String(p.answer)}\n(${String(p.source)})`, questionId: String(p.questionId) };
    case 'QuestionEscalated':
      return { ...base, kind: 'escalation', from: manager, to: { role: 'director', id: null, name: null }, text: `I cannot answer this; it waits for the Director: ${String(p.reason)}`, questionId: String(p.questionId) };
    case 'TaskAssigned':
      return { ...base, kind: 'assignment', from: manager, to: employee(String(p.employeeId)), text: `${p.resumed ? 'Resumed' : 'Assigned'} attempt ${String(p.attempt)}.` };
    case 'TaskProgress':
      return { ...base, kind: 'progress', from: speakerOfActor(e.actor), text: String(p.note) };
    default: {
      const passed = e.type === 'VerificationPassed';
      const text = passed ? `${String(p.layer)} check passed (attempt ${String(p.attempt)}).` : `${String(p.layer)} check failed (attempt ${String(p.attempt)}): ${String(p.reason)}`;
      return { ...base, kind: 'verdict', from: { role: 'auditor', id: null, name: null }, text, evidenceHash: (p.evidenceHash as string | undefined) ?? null };
    }
  }
}

/** Fills in employees' names (one lookup for the page). */
async function named(q: Queryable, entries: ChatEntry[]): Promise<ChatEntry[]> {
  const ids = [...new Set(entries.flatMap((e) => [e.from, e.to]).filter((s): s is ChatSpeaker => s?.role === 'employee' && s.id !== null).map((s) => s.id!))];
  if (!ids.length) return entries;
  const rows = (await q.query<{ id: string; name: string }>('SELECT id, name FROM aura.employees WHERE id = ANY($1::text[])', [ids])).rows;
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const withName = (s: ChatSpeaker | null) => (s?.role === 'employee' && s.id ? { ...s, name: names.get(s.id) ?? null } : s);
  return entries.map((e) => ({ ...e, from: withName(e.from)!, to: withName(e.to) }));
}

export interface ChatPage {
  entries: ChatEntry[];
  /** Pass as afterSeq to read what came after this page. */
  lastSeq: number;
  /** More entries follow this page (read on with afterSeq = lastSeq). */
  hasMore: boolean;
}

/** A page of a run's chat: after `afterSeq` oldest first, or (without it) the latest `limit`, still oldest first. */
export async function readChat(q: Queryable, runId: string, options: { afterSeq?: number; limit: number }): Promise<ChatPage> {
  const forward = options.afterSeq !== undefined;
  const rows = (
    await q.query<EventRow>(
      `SELECT ${eventColumns} FROM aura.events WHERE stream = $1 AND type = ANY($2::text[])
         AND NOT (type = 'QuestionAnswered' AND payload->>'by' = 'director') ${forward ? 'AND seq > $4' : ''}
       ORDER BY seq ${forward ? 'ASC' : 'DESC'} LIMIT $3`,
      forward ? [runId, chatEventTypes, options.limit + 1, options.afterSeq] : [runId, chatEventTypes, options.limit + 1],
    )
  ).rows;
  const more = rows.length > options.limit;
  const page = rows.slice(0, options.limit);
  if (!forward) page.reverse();
  const entries = await named(q, page.map((r) => entryOf(toStoredEvent(r))));
  return { entries, lastSeq: entries.at(-1)?.seq ?? options.afterSeq ?? 0, hasMore: forward && more };
}

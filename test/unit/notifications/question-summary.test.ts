// The one line a webhook carries for a question waiting for the Director: who asks what, why the Manager could not
// answer, and how to answer.
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../../core/events/stored-event';
import { summarise } from '../../../core/notifications/webhook-body';

describe('webhook summary of an escalated question', () => {
  it('names the run, the task, the asker, the question, the reason and how to answer', () => {
    const event = {
      id: 7,
      stream: 'run_abc',
      seq: 9,
      type: 'QuestionEscalated',
      runId: 'run_abc',
      taskId: 'task_def',
      actor: 'manager',
      payload: { questionId: 'q_123', employeeId: 'emp_9', question: 'May I drop the orders table?', reason: 'no planner model is hired' },
      occurredAt: new Date('2026-01-01T00:00:00Z'),
      hash: 'h',
    } as unknown as StoredEvent;
    assert.equal(
      summarise(event),
      'Question waiting for you in run run_abc on task task_def from emp_9: "May I drop the orders table?" — the Manager could not answer: no planner model is hired (answer with post_message replyTo q_123)',
    );
  });
});

// Parsing the run chat (get_chat) into what the Chat page draws, and naming who said it.
import assert from 'node:assert/strict';
import { parseList } from '../../../webview-ui/protocol/aura-data';
import { chatEntrySchema, chatQuestionSchema, speakerLabel } from '../../../webview-ui/protocol/chat-data';
import { dashboardTools, dashboardViews } from '../../../webview-ui/protocol/messages';

describe('console chat data', () => {
  it('reads entries and open questions, dropping items that fail the schema', () => {
    const raw = {
      entries: [
        { seq: 3, kind: 'assignment', at: '2026-01-01T00:00:00.000Z', from: { role: 'manager', id: null, name: null }, to: { role: 'employee', id: 'emp_1', name: 'coder-1' }, text: 'Assigned attempt 1.', taskId: 'task_a', questionId: null, evidenceHash: null },
        { kind: 'message' },
      ],
      openQuestions: [{ id: 'q_1', taskId: 'task_a', employeeId: 'emp_1', question: 'Which port?', askedAt: '2026-01-01T00:00:01.000Z', status: 'open' }, { id: 'q_2' }],
    };
    const entries = parseList(raw, 'entries', chatEntrySchema);
    assert.deepEqual(entries.map((e) => [e.seq, e.kind, e.taskId]), [[3, 'assignment', 'task_a']]);
    assert.deepEqual(parseList(raw, 'openQuestions', chatQuestionSchema).map((q) => q.id), ['q_1']);
  });

  it('names the speaker by role, and by name or id', () => {
    assert.equal(speakerLabel({ role: 'manager', id: null, name: null }), 'Manager');
    assert.equal(speakerLabel({ role: 'employee', id: 'emp_1', name: 'coder-1' }), 'Employee coder-1');
    assert.equal(speakerLabel({ role: 'employee', id: 'emp_1', name: null }), 'Employee emp_1');
    assert.equal(speakerLabel({ role: 'director', id: 'local', name: null }), 'Director local');
    assert.equal(speakerLabel({ role: 'auditor', id: null, name: null }), 'Auditor');
    assert.equal(speakerLabel(null), '');
  });

  it('has a Chat page that may read and post to the chat', () => {
    assert.ok(dashboardViews.includes('chat'));
    assert.ok(dashboardTools.has('get_chat') && dashboardTools.has('post_message'));
  });
});

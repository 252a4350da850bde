// The small rules of scheduling: the backoff schedule, the transition of an outcome, and who gets a task.
import assert from 'node:assert/strict';
import { chooseEmployee } from '../../../core/manager/employee-selection';
import { retryDelayMs } from '../../../core/queue/backoff';
import { type AttemptOutcomeInput, planTransition } from '../../../core/queue/complete-attempts';
import type { Employee } from '../../../core/workforce/employee';

const employee = (id: string, maxConcurrent = 1): Employee =>
  ({ id, status: 'active', tier: 'junior', hiredAt: new Date(0), profile: { name: id, provider: 'in-process', model: 'm', skills: [], maxConcurrent } }) as unknown as Employee;

describe('scheduling rules', () => {
  it('waits 2 s, 4 s, 8 s after the 1st, 2nd and 3rd failures, then keeps doubling', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(n)), [2_000, 4_000, 8_000, 16_000, 32_000]);
    assert.deepEqual([1, 2, 3].map((n) => retryDelayMs(n, [100])), [100, 200, 400]);
  });

  it('retries a retryable failure while attempts remain, then dead-letters; never retries a refusal', () => {
    const now = new Date(0);
    const outcome = (attempt: number, retryable: boolean, floor = 0): AttemptOutcomeInput => ({
      taskId: 't', runId: 'r', owner: 'o', attempt, attemptFloor: floor, maxAttempts: 3, employeeId: 'e', idempotencyKey: 'k', result: { kind: 'failed', reason: 'x', retryable, costUsd: 0 },
    });
    assert.deepEqual(planTransition(outcome(1, true), now, [2000, 4000]), { status: 'retry_wait', delayMs: 2000, notBefore: new Date(2000) });
    assert.equal(planTransition(outcome(2, true), now, [2000, 4000]).delayMs, 4000);
    assert.equal(planTransition(outcome(3, true), now, [2000, 4000]).status, 'dead_letter');
    assert.equal(planTransition(outcome(4, true, 3), now, [2000]).status, 'retry_wait', 'attempts count again after a Director retry');
    assert.equal(planTransition(outcome(1, false), now, [2000]).status, 'dead_letter');
  });

  it('prefers an employee who has not failed the task, with room, in governance order', () => {
    const [a, b, c] = [employee('a'), employee('b'), employee('c', 2)];
    assert.equal(chooseEmployee({ ranked: [a, b, c], load: new Map(), tried: ['a'] })?.id, 'b');
    assert.equal(chooseEmployee({ ranked: [a, b, c], load: new Map([['b', 1]]), tried: ['a'] })?.id, 'c');
    assert.equal(chooseEmployee({ ranked: [a, b], load: new Map([['b', 1]]), tried: ['a', 'b'] })?.id, 'a', 'someone who failed before beats waiting forever');
    assert.equal(chooseEmployee({ ranked: [a, b], load: new Map([['a', 1], ['b', 1]]), tried: [] }), null);
  });
});

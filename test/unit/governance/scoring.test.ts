// The Accountant's formula, tiers and routing preference, on scripted facts.
import assert from 'node:assert/strict';
import { rankCandidates } from '../../../core/governance/accountant/routing';
import { type AttemptFact, decayWeight, scoreEmployee } from '../../../core/governance/accountant/scoring';
import { nextTier } from '../../../core/governance/accountant/tiers';
import type { Employee } from '../../../core/workforce/employee';

const now = new Date('2025-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

function fact(overrides: Partial<AttemptFact> = {}): AttemptFact {
  return {
    runId: 'r1',
    taskId: `t${Math.random().toString(36).slice(2, 8)}`,
    attempt: 1,
    employeeId: 'e',
    kind: 'code',
    outcome: 'verified',
    durationMs: 10_000,
    timeoutMs: 60_000,
    costUsd: 0.01,
    scopeViolation: false,
    violations: 0,
    reviewScore: null,
    outputHash: null,
    claimsMismatch: false,
    forbidden: false,
    occurredAt: daysAgo(1),
    ...overrides,
  };
}

const score = (facts: AttemptFact[], ratings: Array<{ rating: number; occurredAt: Date }> = []) =>
  scoreEmployee({ employeeId: 'e', kind: 'code', facts, ratings: ratings.map((r) => ({ ...r, employeeId: 'e' })), now, kindMedianMs: 10_000 });

function employee(id: string, status: Employee['status'] = 'active'): Employee {
  return { id, status, tier: 'junior', hiredAt: now, workspaceId: 'default', profile: { name: id, provider: 'in-process', model: 'm', skills: [], limits: { memoryMb: 1024, cpus: 1, pids: 256, timeoutMs: 60_000 }, costTable: { inputPerMTok: 0, outputPerMTok: 0 }, egress: false, maxConcurrent: 1 } };
}

describe('scoring formula', () => {
  it('halves the weight of an attempt every 30 days', () => {
    assert.equal(decayWeight(daysAgo(0), now, 30), 1);
    assert.ok(Math.abs(decayWeight(daysAgo(30), now, 30) - 0.5) < 1e-9);
    assert.ok(Math.abs(decayWeight(daysAgo(60), now, 30) - 0.25) < 1e-9);
  });

  it('gives an employee with no history the priors (about 73 of 100)', () => {
    const card = score([]);
    assert.equal(card.attempts, 0);
    assert.equal(card.accuracy, 0.5);
    assert.ok(card.score > 70 && card.score < 76, String(card.score));
  });

  it('scores verified work above failed work, and smooths a single attempt', () => {
    const good = score(Array.from({ length: 10 }, () => fact()));
    const bad = score(Array.from({ length: 10 }, () => fact({ outcome: 'failed' })));
    const one = score([fact()]);
    assert.ok(good.score > 90, String(good.score));
    assert.ok(bad.score < 65, String(bad.score));
    assert.ok(one.score < good.score && one.accuracy < 0.7);
  });

  it('weighs recent failures more than old successes', () => {
    const recovering = score([...Array.from({ length: 5 }, () => fact({ outcome: 'failed', occurredAt: daysAgo(120) })), ...Array.from({ length: 5 }, () => fact({ occurredAt: daysAgo(1) }))]);
    const declining = score([...Array.from({ length: 5 }, () => fact({ occurredAt: daysAgo(120) })), ...Array.from({ length: 5 }, () => fact({ outcome: 'failed', occurredAt: daysAgo(1) }))]);
    assert.ok(recovering.score > declining.score + 10, `${recovering.score} vs ${declining.score}`);
  });

  it('counts scope violations, violations and forbidden commands against the score', () => {
    const clean = score(Array.from({ length: 6 }, () => fact()));
    const scope = score(Array.from({ length: 6 }, () => fact({ scopeViolation: true })));
    const forbidden = score(Array.from({ length: 6 }, (_, i) => fact({ forbidden: i === 0, violations: i === 0 ? 1 : 0 })));
    assert.ok(scope.score < clean.score - 10);
    assert.ok(forbidden.score < clean.score && forbidden.violationRate > 0.3);
  });

  it('ignores infrastructure failures entirely', () => {
    const card = score([fact(), fact({ outcome: 'infrastructure' }), fact({ outcome: 'infrastructure' })]);
    assert.equal(card.attempts, 1);
    assert.equal(card.failed, 0);
  });

  it('rewards faster work against the kind median and counts review scores and Director ratings as satisfaction', () => {
    const fast = score([fact({ durationMs: 5_000 }), fact({ durationMs: 5_000 })]);
    const slow = score([fact({ durationMs: 40_000 }), fact({ durationMs: 40_000 })]);
    assert.ok(fast.timeliness > slow.timeliness);
    const praised = score([fact({ reviewScore: 10 })], [{ rating: 10, occurredAt: daysAgo(1) }]);
    const panned = score([fact({ reviewScore: 2 })], [{ rating: 1, occurredAt: daysAgo(1) }]);
    assert.ok(praised.satisfaction > 0.85 && panned.satisfaction < 0.35);
  });

  it('measures consistency as agreement between retries of the same task, and counts the retries', () => {
    const flaky = score([fact({ taskId: 'a', outcome: 'failed' }), fact({ taskId: 'a', attempt: 2 }), fact({ taskId: 'b', outcome: 'failed' }), fact({ taskId: 'b', attempt: 2 })]);
    assert.equal(flaky.retries, 2);
    assert.ok(flaky.consistency < 0.5);
  });
});

describe('tiers', () => {
  const card = (overrides: Partial<ReturnType<typeof score>>) => ({ ...score([]), ...overrides });

  it('promotes probation → junior → senior on the documented thresholds', () => {
    assert.deepEqual(nextTier('probation', card({ verified: 3, score: 70 }), 'active')?.tier, 'junior');
    assert.equal(nextTier('probation', card({ verified: 2, score: 90 }), 'active'), null);
    assert.equal(nextTier('junior', card({ attempts: 10, score: 90, accuracy: 0.9 }), 'active')?.tier, 'senior');
    assert.equal(nextTier('junior', card({ attempts: 9, score: 90, accuracy: 0.9 }), 'active'), null);
  });

  it('demotes with hysteresis and follows HR probation', () => {
    assert.equal(nextTier('senior', card({ score: 80 }), 'active'), null);
    assert.equal(nextTier('senior', card({ score: 70 }), 'active')?.tier, 'junior');
    assert.equal(nextTier('junior', card({ score: 45 }), 'active')?.tier, 'probation');
    assert.equal(nextTier('senior', card({ score: 99 }), 'probation')?.tier, 'probation');
  });
});

describe('routing preference', () => {
  it('puts the better-scored employee first', () => {
    const cards = new Map([
      ['a', { ...score(Array.from({ length: 10 }, () => fact())), employeeId: 'a' }],
      ['b', { ...score(Array.from({ length: 10 }, () => fact({ outcome: 'failed' }))), employeeId: 'b' }],
    ]);
    assert.deepEqual(rankCandidates([employee('b'), employee('a')], cards).map((r) => r.employee.id), ['a', 'b']);
  });

  it('tries a new employee beside a middling incumbent (exploration bonus), but not beside an excellent one forever', () => {
    const middling = Array.from({ length: 30 }, (_, i) => fact({ outcome: i % 3 === 0 ? 'failed' : 'verified' }));
    const cards = new Map([
      ['old', { ...score(middling), employeeId: 'old' }],
      ['new', { ...score([]), employeeId: 'new' }],
    ]);
    assert.deepEqual(rankCandidates([employee('old'), employee('new')], cards).map((r) => r.employee.id), ['new', 'old']);
    const provenBad = new Map([
      ['old', { ...score(Array.from({ length: 30 }, () => fact())), employeeId: 'old' }],
      ['new', { ...score(Array.from({ length: 6 }, () => fact({ outcome: 'failed' }))), employeeId: 'new' }],
    ]);
    assert.deepEqual(rankCandidates([employee('new'), employee('old')], provenBad).map((r) => r.employee.id), ['old', 'new']);
  });

  it('moves an employee on probation back in line', () => {
    const cards = new Map([
      ['a', { ...score([fact(), fact()]), employeeId: 'a' }],
      ['b', { ...score([fact(), fact()]), employeeId: 'b' }],
    ]);
    assert.deepEqual(rankCandidates([employee('a', 'probation'), employee('b')], cards).map((r) => r.employee.id), ['b', 'a']);
  });
});

// HR's lifecycle rules and the Auditor's anomaly rules, as pure decisions.
import assert from 'node:assert/strict';
import type { AttemptFact } from '../../../core/governance/accountant/scoring';
import { type AnomalyInput, detectAnomalies } from '../../../core/governance/auditor/anomaly-rules';
import { defaultHrRules, hrDecision, nextStreak, type Streak } from '../../../core/governance/hr/hr-rules';

describe('HR rules', () => {
  const after = (outcomes: Array<'verified' | 'failed' | 'error' | 'infrastructure'>): Streak => outcomes.reduce(nextStreak, { failures: 0, successes: 0 });

  it('puts an employee on probation after 3 consecutive failures, not after 2 or after a success in between', () => {
    assert.equal(hrDecision('active', after(['failed', 'failed']), []), null);
    assert.equal(hrDecision('active', after(['failed', 'failed', 'verified', 'failed']), []), null);
    assert.deepEqual(hrDecision('active', after(['failed', 'error', 'failed']), []), { to: 'probation', reason: '3 consecutive verification failures' });
    assert.equal(hrDecision('hired', after(['failed', 'failed', 'failed']), [])?.to, 'probation');
  });

  it('does not count infrastructure failures against the employee', () => {
    assert.equal(hrDecision('active', after(['failed', 'infrastructure', 'failed', 'infrastructure']), []), null);
  });

  it('suspends at once for a forbidden command, whatever the streak', () => {
    const change = hrDecision('active', after(['verified']), ['forbidden_command']);
    assert.equal(change?.to, 'suspended');
    assert.match(change!.reason, /forbidden command/);
  });

  it('suspends after further failures on probation and reinstates after verified work', () => {
    assert.equal(hrDecision('probation', after(['failed', 'failed', 'failed']), [])?.to, 'suspended');
    assert.equal(hrDecision('probation', after(['verified', 'verified', 'verified', 'verified']), []), null);
    assert.equal(hrDecision('probation', after(['verified', 'verified', 'verified', 'verified', 'verified']), [])?.to, 'active');
  });

  it('leaves suspended and terminated employees to the Director', () => {
    assert.equal(hrDecision('suspended', after(['verified', 'verified', 'verified', 'verified', 'verified']), []), null);
    assert.equal(hrDecision('terminated', after(['failed', 'failed', 'failed']), ['forbidden_command']), null);
  });

  it('follows configured anomaly actions', () => {
    const rules = { ...defaultHrRules, anomalyActions: { ...defaultHrRules.anomalyActions, scope_violation: 'probation' as const } };
    assert.equal(hrDecision('active', after(['failed']), ['scope_violation'], rules)?.to, 'probation');
    assert.equal(hrDecision('active', after(['failed']), ['scope_violation']), null);
  });
});

describe('anomaly rules', () => {
  const base: AnomalyInput = {
    outcome: 'verified',
    outsideScope: [],
    forbiddenCommands: [],
    costUsd: 0.01,
    durationMs: 10_000,
    history: [],
    outputHash: null,
    earlierFailedHashes: [],
    claimsChecksPassed: undefined,
    acceptancePassed: null,
  };
  const history = (n: number, costUsd: number, durationMs: number) => Array.from({ length: n }, () => ({ outcome: 'verified', costUsd, durationMs }) as AttemptFact);
  const kinds = (input: Partial<AnomalyInput>) => detectAnomalies({ ...base, ...input }).map((a) => a.kind);

  it('finds nothing in a clean attempt', () => {
    assert.deepEqual(kinds({}), []);
  });

  it('flags files changed outside the scope and forbidden commands', () => {
    assert.deepEqual(kinds({ outsideScope: ['package.json'], forbiddenCommands: [{ command: 'sudo x', rule: 'forbidden-commands', reason: 'r' }] }), ['scope_violation', 'forbidden_command']);
  });

  it('flags a claim that checks passed when the Auditor saw them fail, but not when they could not run', () => {
    assert.deepEqual(kinds({ outcome: 'failed', claimsChecksPassed: true, acceptancePassed: false }), ['false_claim']);
    assert.deepEqual(kinds({ outcome: 'failed', claimsChecksPassed: true, acceptancePassed: null }), []);
    assert.deepEqual(kinds({ outcome: 'failed', claimsChecksPassed: false, acceptancePassed: false }), []);
  });

  it('flags the same failing output repeated on a task as a loop', () => {
    assert.deepEqual(kinds({ outcome: 'failed', outputHash: 'h1', earlierFailedHashes: ['h0'] }), []);
    assert.deepEqual(kinds({ outcome: 'failed', outputHash: 'h1', earlierFailedHashes: ['h0', 'h1'] }), ['loop']);
  });

  it('flags cost and duration far above the employee norm, only with enough history', () => {
    assert.deepEqual(kinds({ costUsd: 1, durationMs: 100_000, history: history(4, 0.01, 10_000) }), []);
    assert.deepEqual(kinds({ costUsd: 1, durationMs: 100_000, history: history(5, 0.01, 10_000) }), ['cost_outlier', 'duration_outlier']);
    assert.deepEqual(kinds({ costUsd: 0.025, durationMs: 14_000, history: history(5, 0.01, 10_000) }), []);
  });
});

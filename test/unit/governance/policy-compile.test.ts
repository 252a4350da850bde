// The policy compiler: YAML, schema and CEL problems are rejected with their line and reason.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { compilePolicySet, type PolicyProblem } from '../../../core/governance/policy/policy-compile';

function problemOf(source: string): PolicyProblem {
  try {
    compilePolicySet('t', source);
  } catch (error) {
    assert.ok(AuraError.is(error, 'invalid_input'), String(error));
    return error.details as unknown as PolicyProblem;
  }
  assert.fail('expected the policy to be rejected');
}

describe('policy compiler', () => {
  it('compiles rules with their checkpoints, action and reason', () => {
    const set = compilePolicySet('t', 'rules:\n  - name: big\n    on: [task]\n    when: task.maxAttempts > 5\n    action: deny\n    reason: too many\n');
    assert.equal(set.rules.length, 1);
    assert.deepEqual([...set.rules[0]!.on], ['task']);
    assert.equal(set.rules[0]!.reason, 'too many');
  });

  it('applies a rule with no "on" at every checkpoint', () => {
    const set = compilePolicySet('t', 'rules:\n  - name: all\n    when: "true"\n    action: notify\n');
    assert.deepEqual([...set.rules[0]!.on].sort(), ['cost', 'plan', 'scope', 'task', 'tool']);
  });

  it('rejects broken YAML with the line of the problem', () => {
    const problem = problemOf('rules:\n  - name: a\n    when: "true"\n    action: deny: x\n');
    assert.equal(problem.line, 4);
    assert.match(problem.reason, /invalid YAML/);
  });

  it('rejects a duplicate key naming its line', () => {
    const problem = problemOf('rules:\n  - name: a\n    when: "true"\n    when: "false"\n    action: deny\n');
    assert.equal(problem.line, 4);
  });

  it('rejects an unknown action with the line of that action', () => {
    const problem = problemOf('rules:\n  - name: a\n    when: "true"\n    action: deny\n  - name: b\n    when: "true"\n    action: explode\n');
    assert.equal(problem.line, 7);
    assert.match(problem.reason, /rules\.1\.action/);
  });

  it('rejects an unknown key in a rule, pointing at the key', () => {
    const problem = problemOf('rules:\n  - name: a\n    when: "true"\n    action: deny\n    severity: high\n');
    assert.equal(problem.line, 5);
  });

  it('rejects a CEL syntax error with the line and column inside the condition', () => {
    const problem = problemOf('rules:\n  - name: a\n    when: task.kind == \n    action: deny\n');
    assert.equal(problem.line, 3);
    assert.match(problem.reason, /condition of rule "a": Unexpected token/);
  });

  it('rejects an unknown variable in a multi-line condition on the line where it appears', () => {
    const problem = problemOf('rules:\n  - name: a\n    when: |\n      task.kind == "code" &&\n      budget > 3\n    action: deny\n');
    assert.equal(problem.line, 5);
    assert.match(problem.reason, /Unknown variable: budget/);
  });

  it('rejects a condition that is not a boolean', () => {
    const problem = problemOf('rules:\n  - name: a\n    when: size(task.scope) + 1\n    action: deny\n');
    assert.match(problem.reason, /is int, expected a boolean/);
    assert.equal(problem.line, 3);
  });

  it('rejects two rules with the same name', () => {
    const problem = problemOf('rules:\n  - name: a\n    when: "true"\n    action: deny\n  - name: a\n    when: "false"\n    action: allow\n');
    assert.equal(problem.line, 5);
    assert.match(problem.reason, /used twice/);
  });

  it('refuses a document that tries to switch governance off, marking it as such', () => {
    const problem = problemOf('enabled: false\nrules: []\n');
    assert.equal(problem.disables, true);
    assert.equal(problem.line, 1);
    assert.match(problem.reason, /governance cannot be disabled/);
  });
});

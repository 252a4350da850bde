// Plan validation lists every problem at once; plans hash canonically; diffs count what a replan changes.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { diffPlans, replanNeedsApproval } from '../../../core/manager/plan-diff';
import { planSchema, type Plan } from '../../../core/manager/plan-schema';
import { findPlanProblems, hashPlan, parsePlan, topologicalOrder } from '../../../core/manager/plan-validation';

const plan = (tasks: Array<Record<string, unknown>>): Plan => planSchema.parse({ title: 'p', tasks: tasks.map((t) => ({ title: String(t.id), kind: 'code', ...t })) });

describe('plan validation', () => {
  it('accepts a DAG and orders it after its dependencies', () => {
    const p = plan([{ id: 'c', dependsOn: ['a', 'b'] }, { id: 'a' }, { id: 'b', dependsOn: ['a'] }]);
    assert.deepEqual(findPlanProblems(p), []);
    assert.deepEqual(topologicalOrder(p.tasks), ['a', 'b', 'c']);
  });

  it('lists duplicate ids, unknown and self dependencies, cycles and misplaced commands together', () => {
    const p = plan([
      { id: 'a', dependsOn: ['b'] },
      { id: 'b', dependsOn: ['c'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'd', dependsOn: ['d', 'ghost'] },
      { id: 'd' },
      { id: 'r', kind: 'review', acceptance: { commands: ['rm -rf /'] } },
    ]);
    const codes = findPlanProblems(p).map((x) => x.code).sort();
    assert.deepEqual(codes, ['commands_not_allowed', 'cycle', 'duplicate_id', 'self_dependency', 'unknown_dependency']);
    assert.match(findPlanProblems(p).find((x) => x.code === 'cycle')!.message, /a → b → c → a/);
  });

  it('reports an empty plan', () => {
    assert.deepEqual(findPlanProblems(plan([])).map((x) => x.code), ['empty']);
  });

  it('parses untrusted input into invalid_input naming each schema problem', () => {
    assert.throws(
      () => parsePlan({ title: '', tasks: [{ id: 'Bad Id', title: 'x', kind: 'dance' }] }),
      (e: unknown) => AuraError.is(e, 'invalid_input') && /title/.test(e.message) && /tasks\.0\.id/.test(e.message) && /tasks\.0\.kind/.test(e.message),
    );
  });

  it('hashes the canonical JSON: key order does not matter, content does', () => {
    const a = plan([{ id: 'a', title: 'A', description: 'x' }]);
    const reordered = JSON.parse(JSON.stringify({ tasks: a.tasks.map((t) => Object.fromEntries(Object.entries(t).reverse())), title: a.title }));
    assert.equal(hashPlan(reordered), hashPlan(a));
    assert.notEqual(hashPlan(plan([{ id: 'a', title: 'A', description: 'y' }])), hashPlan(a));
  });
});

describe('plan diff', () => {
  const before = plan([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }, { id: 'e' }, { id: 'f' }, { id: 'g' }, { id: 'h' }, { id: 'i' }, { id: 'j' }]);

  it('names added, removed and changed tasks and the share of the plan they are', () => {
    const after = plan([...before.tasks.filter((t) => t.id !== 'j').map((t) => (t.id === 'a' ? { ...t, description: 'new' } : t)), { id: 'k' }]);
    const diff = diffPlans(before, after);
    assert.deepEqual(diff, { added: ['k'], removed: ['j'], changed: ['a'], changedFraction: 0.3 });
    assert.equal(replanNeedsApproval(diff), true);
  });

  it('needs no approval at 20% or less', () => {
    const after = plan([...before.tasks.map((t) => (t.id === 'a' || t.id === 'b' ? { ...t, title: 'renamed' } : t))]);
    const diff = diffPlans(before, after);
    assert.equal(diff.changedFraction, 0.2);
    assert.equal(replanNeedsApproval(diff), false);
  });
});

// Policies in the database: shipped defaults, versions with events, rejected sources that change nothing, policy files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AuraError } from '../../../core/domain/errors';
import { describeStores } from '../../support/stores';
import { createHarness, type Harness } from './harness';

const allowDocs = 'rules:\n  - name: docs-need-approval\n    on: [task]\n    when: task.kind == "doc"\n    action: require_approval\n';

describeStores('governance policy store', (ctx) => {
  let h: Harness;
  before(async () => {
    h = await createHarness(ctx.store);
  });
  after(() => h.close());

  it('stores the shipped defaults as version 1 of "default", once, with an event', async () => {
    await h.gov.policies.ensureShipped();
    const versions = await h.gov.policies.history('default');
    assert.deepEqual(versions.map((v) => [v.version, v.origin, v.createdBy]), [[1, 'shipped', 'system']]);
    assert.ok(versions[0]!.rules >= 8);
    const events = await h.ctx.events.query({ types: ['PolicySetUpdated'] });
    assert.equal(events.length, 1);
  });

  it('stores a valid set as a new version, records it, and puts it in force', async () => {
    const v = await h.gov.policies.set('strict', allowDocs, 'director:local');
    assert.equal(v.version, 1);
    const again = await h.gov.policies.set('strict', allowDocs, 'director:local');
    assert.equal(again.version, 1, 'the same source is not a new version');
    const changed = await h.gov.policies.set('strict', allowDocs.replace('require_approval', 'deny'), 'director:local');
    assert.equal(changed.version, 2);
    const inForce = await h.gov.policies.inForce('strict');
    assert.deepEqual([inForce.version, inForce.set.rules[0]!.action], [2, 'deny']);
    const updates = (await h.ctx.events.query({ types: ['PolicySetUpdated'] })).filter((e) => (e.payload as { name: string }).name === 'strict');
    assert.deepEqual(updates.map((e) => (e.payload as { version: number }).version), [1, 2]);
  });

  it('rejects invalid YAML or CEL with the line and reason, records the rejection, and keeps the last good set in force', async () => {
    await assert.rejects(h.gov.policies.set('strict', 'rules:\n  - name: x\n    when: task.kind ==\n    action: deny\n', 'director:local'), (e: unknown) => {
      assert.ok(AuraError.is(e, 'invalid_input'));
      assert.match(e.message, /line 3/);
      return true;
    });
    const [rejected] = await h.ctx.events.query({ types: ['PolicySetRejected'] });
    assert.deepEqual([rejected!.payload], [{ name: 'strict', origin: 'director', line: 3, column: (rejected!.payload as { column: number }).column, reason: (rejected!.payload as { reason: string }).reason, inForce: 2 }]);
    assert.equal((await h.gov.policies.inForce('strict')).version, 2);
  });

  it('refuses a policy document that would switch governance off, and records the refusal', async () => {
    await assert.rejects(h.gov.policies.set('default', 'enforcement: off\nrules: []\n', 'employee:emp_x'), /governance cannot be disabled/);
    const refused = await h.ctx.events.query({ types: ['GovernanceDisableRefused'] });
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.actor, 'employee:emp_x');
    assert.equal((await h.gov.policies.inForce(null)).version, 1);
  });

  it('loads policy files; a broken file leaves its set as it was', async () => {
    const dir = path.join(h.home, 'policy-files');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'team.yaml'), allowDocs);
    assert.deepEqual((await h.gov.policies.loadFolder(dir, 'system')).map((r) => [r.name, r.ok, r.version]), [['team', true, 1]]);
    fs.writeFileSync(path.join(dir, 'team.yaml'), 'rules:\n  - name: bad\n    when: nosuchvar > 1\n    action: deny\n');
    const [report] = await h.gov.policies.loadFolder(dir, 'system');
    assert.deepEqual([report!.ok, report!.problem?.line], [false, 3]);
    assert.match(report!.problem!.reason, /Unknown variable: nosuchvar/);
    const inForce = await h.gov.policies.inForce('team');
    assert.deepEqual([inForce.version, inForce.set.rules[0]!.name], [1, 'docs-need-approval']);
  });

  it('says which set does not exist', async () => {
    await assert.rejects(h.gov.policies.inForce('nope'), (e: unknown) => AuraError.is(e, 'not_found') && /No policy set named "nope"/.test(e.message));
  });

  it('rejects a plan that violates a deny rule, naming the rule, and records the violation', async () => {
    const run = h.run('run_plan1');
    const decision = await h.gov.port.checkPlan({ title: 'P', tasks: [h.task({ id: 'ok' }), h.task({ id: 'hooks', scope: ['.git/hooks/pre-commit'] })] }, run);
    assert.equal(decision.action, 'deny');
    assert.equal((decision as { rule: string }).rule, 'no-git-internals-in-scope');
    assert.match((decision as { reason: string }).reason, /task "hooks"/);
    const [violation] = await h.ctx.events.query({ runId: 'run_plan1', types: ['PolicyViolation'] });
    assert.equal((violation!.payload as { rule: string }).rule, 'no-git-internals-in-scope');
    const unknown = await h.gov.port.checkPlan({ title: 'P', tasks: [h.task({ id: 'ok' })] }, h.run('run_plan2', { policySet: 'missing' }));
    assert.deepEqual([unknown.action, (unknown as { rule: string }).rule], ['deny', 'policy-set']);
  });
});

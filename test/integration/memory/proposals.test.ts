// Employees' memory proposals on both stores: the proposal policy holds or applies them, the Director resolves them.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { describeStores } from '../../support/stores';
import { DIRECTOR, openMemory } from './memory-harness';

const employee = { employeeId: 'emp_proposer', workspaceId: 'default', runId: 'run_prop', taskId: 'task_prop' };

describeStores('memory proposals', (ctx) => {
  it('holds a proposal for the Director by default, writing nothing yet', async () => {
    const { memory } = openMemory(ctx.store);
    const { proposal, version } = await memory.propose({ scope: 'project', key: 'proposals/held', content: 'cache the lockfile' }, employee);
    assert.deepEqual([proposal.status, version], ['pending', null]);
    await assert.rejects(memory.get({ scope: 'project', key: 'proposals/held' }, DIRECTOR), (e: unknown) => AuraError.is(e, 'not_found'));
    assert.ok((await memory.proposals('default', 'pending')).some((p) => p.id === proposal.id));
  });

  it("writes an approved proposal as the employee's version, marked with its run", async () => {
    const { memory, core } = openMemory(ctx.store);
    const { proposal } = await memory.propose({ scope: 'project', key: 'proposals/approved', content: 'tests need a warm cache' }, employee);
    const resolved = await memory.resolveProposal(proposal.id, 'default', { approved: true, by: 'director:local' });
    assert.equal(resolved.version, 1);
    const entry = await memory.get({ scope: 'project', key: 'proposals/approved' }, DIRECTOR);
    assert.deepEqual([entry.author, entry.authorKind, entry.runId], ['employee:emp_proposer', 'employee', 'run_prop']);
    const events = await core.events.query({ stream: 'memory', types: ['MemoryProposed', 'MemoryProposalResolved'] });
    assert.ok(events.some((e) => e.type === 'MemoryProposalResolved' && (e.payload as { proposalId: string }).proposalId === proposal.id));
  });

  it('refuses to resolve a proposal twice', async () => {
    const { memory } = openMemory(ctx.store);
    const { proposal } = await memory.propose({ scope: 'org', key: 'proposals/twice', content: 'x' }, employee);
    await memory.resolveProposal(proposal.id, 'default', { approved: false, by: 'director:local', note: 'not useful' });
    await assert.rejects(memory.resolveProposal(proposal.id, 'default', { approved: true, by: 'director:local' }), (e: unknown) => AuraError.is(e, 'conflict'));
  });

  it('applies run-scope proposals at once under auto-run and holds the rest', async () => {
    const { memory } = openMemory(ctx.store, { env: { memoryProposals: 'auto-run' } });
    const run = await memory.propose({ scope: 'run', namespace: 'run_prop', key: 'scratch/plan', content: 'step two next' }, employee);
    const project = await memory.propose({ scope: 'project', key: 'proposals/auto-run', content: 'a project lesson' }, employee);
    assert.deepEqual([run.proposal.status, run.version, project.proposal.status], ['approved', 1, 'pending']);
  });

  it("refuses an employee's proposal to user memory", async () => {
    const { memory } = openMemory(ctx.store, { env: { memoryProposals: 'auto' } });
    await assert.rejects(memory.propose({ scope: 'user', key: 'prefs/x', content: 'x' }, employee), (e: unknown) => AuraError.is(e, 'forbidden'));
  });
});

// The Manager's memory context on both stores: chosen within a token budget it reports, pinned for a resumed attempt,
// and across runs: what the first run learned reaches the second run's planner (a model through the OpenAI SDK
// against a stand-in) and its employees.
import assert from 'node:assert/strict';
import { lessonsKey } from '../../../core/memory/memory-lessons';
import { createOrchestrator } from '../../../core/orchestrator';
import { planTaskSchema } from '../../../core/manager/plan-schema';
import type { Assignment } from '../../../core/workforce/worker';
import { behaviours, createInProcessWorkforce, hireInProcess } from '../../support/in-process-workers';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import { describeStores } from '../../support/stores';
import { waitForRun } from '../manager/manager-harness';
import { harnesses, providerFor, TEST_KEY } from '../models/harness';
import { corpus } from './corpus';
import { DIRECTOR, openMemory } from './memory-harness';

const assignment = (runId: string, attempt: number, title: string): Assignment => ({
  runId,
  taskId: `task_${runId}_a`,
  attempt,
  idempotencyKey: `${runId}_task_a_${attempt}`,
  task: planTaskSchema.parse({ id: 'a', title, kind: 'analysis', description: title }),
  employee: { id: 'emp_x', profile: { name: 'x' } } as Assignment['employee'],
  context: { runTitle: 'context test', dependencies: [] },
  deadline: Date.now() + 60_000,
});

describeStores('memory in the Manager', (ctx) => {
  before(async () => {
    const { memory } = openMemory(ctx.store);
    for (const entry of corpus) await memory.put({ scope: entry.scope, key: entry.key, content: entry.content, tags: [...entry.tags] }, DIRECTOR);
  });

  it('puts the most relevant entries into an employee context within the budget, and reports it', async () => {
    const { memory, core } = openMemory(ctx.store, { env: { memoryContextTokens: 60 } });
    const items = await memory.forAssignment(assignment('run_budget', 1, 'Alert when the PostgreSQL disk fills with WAL'));
    assert.equal(items[0]?.key, 'incidents/2026-02-db-down');
    assert.ok(items.reduce((n, i) => n + i.tokens, 0) <= 60);
    const [used] = await core.events.query({ runId: 'run_budget', types: ['MemoryContextUsed'] });
    const payload = used!.payload as { budgetTokens: number; usedTokens: number; leftOut: number; entries: Array<{ key: string }> };
    assert.equal(payload.budgetTokens, 60);
    assert.ok(payload.usedTokens > 0 && payload.usedTokens <= 60);
    assert.ok(payload.leftOut > 0, 'some relevant entries did not fit');
    assert.deepEqual(payload.entries.map((e) => e.key), items.map((i) => i.key));
  });

  it('gives nothing from memory when the budget is 0', async () => {
    const { memory } = openMemory(ctx.store, { env: { memoryContextTokens: 0 } });
    assert.deepEqual(await memory.forAssignment(assignment('run_zero', 1, 'PostgreSQL disk WAL')), []);
  });

  it('gives a resumed attempt the versions it was given before, and a new attempt the newest', async () => {
    const { memory, core } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'pinned/leases', content: 'Lease renewal runs every ten seconds.' }, DIRECTOR);
    const first = await memory.forAssignment(assignment('run_pin', 1, 'lease renewal timing'));
    await memory.put({ scope: 'project', key: 'pinned/leases', content: 'Lease renewal runs every third of the lease.' }, DIRECTOR);
    const resumed = await memory.forAssignment(assignment('run_pin', 1, 'lease renewal timing'));
    const next = await memory.forAssignment(assignment('run_pin', 2, 'lease renewal timing'));
    const pinned = (items: typeof first) => items.find((i) => i.key === 'pinned/leases');
    assert.deepEqual([pinned(first)?.version, pinned(resumed)?.version, pinned(next)?.version], [1, 1, 2]);
    const events = await core.events.query({ runId: 'run_pin', types: ['MemoryContextUsed'] });
    assert.equal((events[1]!.payload as { reusedFrom?: number }).reusedFrom, events[0]!.id);
  });

  it("hands the second run's planner and employees what the first run wrote to project memory", async function () {
    this.timeout(60_000);
    const plan = { title: 'Leader election', tasks: [{ id: 'elect', title: 'Design leader election', kind: 'analysis', description: 'Decide how one Manager leads.' }] };
    const standIn = await startOpenAIStandIn({ apiKey: TEST_KEY, fallback: () => ({ kind: 'answer', text: JSON.stringify(plan) }) });
    const { memory, core } = openMemory(ctx.store);
    const seen: Assignment[] = [];
    const workforce = createInProcessWorkforce((a) => {
      seen.push(a);
      return behaviours.succeed('Chose a PostgreSQL advisory lock held on a dedicated session for leader election');
    });
    const orchestrator = createOrchestrator({ core, workers: workforce.factory, memory, planner: providerFor(harnesses[0]!, standIn), options: { pollMs: 250, employeeRefreshMs: 0, stopGraceMs: 0 } });
    await hireInProcess(orchestrator.employees, [`lea-${ctx.kind}`]);
    await orchestrator.start();
    try {
      const first = await orchestrator.runs.submit({ prd: '# Leader election\n\n- Design leader election for several Managers' }, DIRECTOR.actor);
      await waitForRun(ctx.store, orchestrator, first.id, ['succeeded']);
      assert.equal(await memory.drainLessons(), 1);
      const lessons = await memory.get({ scope: 'project', key: lessonsKey(first.id) }, DIRECTOR);
      assert.match(lessons.content, /advisory lock/);
      assert.equal(lessons.authorKind, 'manager');
      assert.equal(lessons.runId, first.id);

      const second = await orchestrator.runs.submit({ prd: '# Failover\n\n- Make leader election survive a Manager crash' }, DIRECTOR.actor);
      await waitForRun(ctx.store, orchestrator, second.id, ['succeeded']);
      const plannerPrompt = (standIn.calls.at(-1)!.body as { messages: Array<{ content: string }> }).messages[1]!.content;
      assert.match(plannerPrompt, new RegExp(`memory://project/default/runs/${first.id}/lessons`));
      assert.match(plannerPrompt, /advisory lock held on a dedicated session/);
      const [used] = await core.events.query({ runId: second.id, types: ['MemoryContextUsed'] });
      assert.equal((used!.payload as { purpose: string }).purpose, 'plan');
      assert.ok((used!.payload as { entries: Array<{ key: string }> }).entries.some((e) => e.key === lessonsKey(first.id)));
      const employeeContext = seen.find((a) => a.runId === second.id)!.context.memory ?? [];
      assert.ok(employeeContext.some((m) => m.key === lessonsKey(first.id)));
    } finally {
      await orchestrator.stop(0);
      await standIn.close();
    }
  });

  it('writes the lessons of a run once, however many Managers drain at once', async () => {
    const drains = await Promise.all([openMemory(ctx.store).memory.drainLessons(), openMemory(ctx.store).memory.drainLessons()]);
    assert.equal(drains[0]! + drains[1]!, 1, "the second run's lessons, written by one of them");
    const versions = await ctx.store.query(`SELECT key FROM aura.memory_versions WHERE key LIKE 'runs/%/lessons'`);
    assert.equal(versions.rowCount, 2);
    assert.equal(await openMemory(ctx.store).memory.drainLessons(), 0);
  });
});

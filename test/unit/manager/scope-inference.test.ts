// Scope inference: a file-changing task that declares no scope gets the files and modules it names, else the default.
import assert from 'node:assert/strict';
import { planFromMarkdown } from '../../../core/manager/structural-planner';
import { createPlanner } from '../../../core/manager/planner';
import { inferPlanScopes, inferTaskScope } from '../../../core/manager/scope-inference';
import { planTaskSchema } from '../../../core/manager/plan-schema';
import { defaultScope, scopeMatcher } from '../../../core/workspace/scope';

const task = (over: Record<string, unknown>) => planTaskSchema.parse({ id: 't', title: 'T', kind: 'code', ...over });
const repo = ['package.json', 'src/auth/login.ts', 'src/auth/session.ts', 'src/billing/invoice.ts', 'test/login.test.ts', '.github/workflows/ci.yml'];

describe('scope inference', () => {
  it('scopes a task to the files it names, backticked or bare, existing or to be created', () => {
    const t = task({ title: 'Write alpha.txt', description: 'Write alpha.txt containing "alpha" and update `src/auth/login.ts`.' });
    assert.deepEqual(inferTaskScope(t, repo), { scope: ['alpha.txt', 'src/auth/login.ts'], source: 'inferred', note: 'scope inferred from what the task names: alpha.txt, src/auth/login.ts' });
  });

  it('reads the paths of the acceptance commands too', () => {
    const t = task({ title: 'Greeting', acceptance: { criteria: [], commands: ['grep -q hello out/greeting.txt'] } });
    assert.deepEqual(inferTaskScope(t, []).scope, ['out/greeting.txt']);
  });

  it('scopes a task that names a module to its folder', () => {
    const t = task({ title: 'Add refresh tokens to the auth module' });
    assert.deepEqual(inferTaskScope(t, repo).scope, ['src/auth/**']);
    assert.deepEqual(inferTaskScope(task({ title: 'Tidy `src/billing`' }), repo).scope, ['src/billing/**']);
  });

  it('gives a task that names nothing the repository minus protected paths', () => {
    const inferred = inferTaskScope(task({ title: 'Make the app faster', description: 'Built with Node.js, e.g. by caching.' }), repo);
    assert.equal(inferred.source, 'default');
    assert.deepEqual(inferred.scope, [...defaultScope]);
    const m = scopeMatcher(inferred.scope);
    assert.deepEqual(m.outside(['src/a.ts', 'README.md', '.github/workflows/ci.yml', 'config/.env', '.env.local', 'keys/server.pem', 'deploy/secrets/token', '.gitlab-ci.yml']), ['.github/workflows/ci.yml', 'config/.env', '.env.local', 'keys/server.pem', 'deploy/secrets/token', '.gitlab-ci.yml']);
  });

  it('keeps a declared scope and marks it declared; kinds that change no files keep none', () => {
    const plan = { title: 'P', tasks: [task({ id: 'a', scope: ['docs/**'] }), task({ id: 'b', kind: 'analysis', title: 'Investigate a.txt' }), task({ id: 'c', title: 'Write c.md' })] };
    const { plan: scoped, notes } = inferPlanScopes(plan, []);
    assert.deepEqual(scoped.tasks.map((t) => [t.id, t.scope, t.scopeSource]), [['a', ['docs/**'], 'declared'], ['b', [], undefined], ['c', ['c.md'], 'inferred']]);
    assert.deepEqual(notes, ['c: scope inferred from what the task names: c.md']);
  });

  it('is part of the plan the planner hashes, for a PRD written without scope tags', async () => {
    const prd = '# Letters\n## Files\n1. `alpha`: Write alpha.txt containing the word alpha\n   - `grep -qx alpha alpha.txt`\n2. Make everything nicer (after `alpha`)\n';
    const planned = await createPlanner().plan({ prd });
    assert.deepEqual(planned.plan.tasks.map((t) => [t.id, t.scopeSource, t.scope[0]]), [['alpha', 'inferred', 'alpha.txt'], ['make-everything-nicer', 'default', '**']]);
    assert.notDeepEqual(planned.plan, planFromMarkdown(prd).plan);
  });
});

describe('scope globs', () => {
  it('lets a later "!glob" exclude what an earlier glob allowed, and a still later one allow it again', () => {
    const m = scopeMatcher(['src/**', '!src/generated/**', 'src/generated/keep.ts']);
    assert.deepEqual(m.outside(['src/a.ts', 'src/generated/x.ts', 'src/generated/keep.ts', 'lib/b.ts']), ['src/generated/x.ts', 'lib/b.ts']);
  });
});

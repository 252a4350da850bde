// The structural planner: a PRD's Markdown becomes a DAG of tasks with no model.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { hashPlan } from '../../../core/manager/plan-validation';
import { planFromMarkdown } from '../../../core/manager/structural-planner';

const prd = `# Login feature

## Why
- users need to log in

## Backend
1. \`schema\`: Create the users table
   - \`npm run migrate\`
   - scope: db/**, migrations/**
   - skills: sql
2. Build the login API (depends on task 1)
   - returns a token for valid credentials
   - Run: \`npm test\`

## Frontend (after Backend)
- [ ] Login page with a form (timeout: 5m) (attempts: 2)
- [x] Logo, already done
- [ ] Show a toast after saving

## Documentation
Write the docs for login after the login page is done.

## Sign-off
- Approve the release (depends on \`Documentation\`)
- Review the diff (kind: review)
  - \`npm run lint\`
`;

describe('structural planner', () => {
  const { plan, notes } = planFromMarkdown(prd);
  const task = (id: string) => plan.tasks.find((t) => t.id === id)!;

  it('takes the title from the first level-1 heading', () => {
    assert.equal(plan.title, 'Login feature');
  });

  it('makes a task of every open list item and of a heading with only a paragraph, skipping "Why" sections and checked items', () => {
    assert.deepEqual(plan.tasks.map((t) => t.id), ['schema', 'build-the-login-api', 'login-page-with-a-form', 'show-a-toast-after-saving', 'documentation', 'approve-the-release', 'review-the-diff']);
  });

  it('reads explicit keys, commands, scope and skills from nested items', () => {
    assert.equal(task('schema').title, 'Create the users table');
    assert.deepEqual(task('schema').acceptance.commands, ['npm run migrate']);
    assert.deepEqual(task('schema').scope, ['db/**', 'migrations/**']);
    assert.deepEqual(task('schema').skills, ['sql']);
    assert.deepEqual(task('build-the-login-api').acceptance, { criteria: ['returns a token for valid credentials'], commands: ['npm test'] });
  });

  it('resolves "depends on task N", section dependencies, backticked headings and names', () => {
    assert.deepEqual(task('build-the-login-api').dependsOn, ['schema']);
    assert.deepEqual(task('login-page-with-a-form').dependsOn, ['schema', 'build-the-login-api']);
    assert.deepEqual(task('documentation').dependsOn, ['login-page-with-a-form']);
    assert.deepEqual(task('approve-the-release').dependsOn, ['documentation']);
  });

  it('leaves ordinary uses of "after" alone and says so', () => {
    assert.ok(notes.some((n) => n.includes('"saving" read as ordinary words')));
  });

  it('infers kinds from the title and honours an explicit kind, moving commands of kinds without commands into criteria', () => {
    assert.deepEqual(plan.tasks.map((t) => t.kind), ['code', 'code', 'code', 'code', 'doc', 'approval', 'review']);
    assert.deepEqual(task('review-the-diff').acceptance, { criteria: ['`npm run lint` succeeds'], commands: [] });
  });

  it('reads timeout and attempts tags', () => {
    assert.equal(task('login-page-with-a-form').timeoutMs, 300_000);
    assert.equal(task('login-page-with-a-form').maxAttempts, 2);
    assert.equal(task('schema').maxAttempts, 3);
  });

  it('is deterministic: the same PRD gives the same plan hash', () => {
    assert.equal(hashPlan(planFromMarkdown(prd).plan), hashPlan(plan));
  });

  it('refuses a PRD with nothing to do, naming the problem', () => {
    assert.throws(
      () => planFromMarkdown('# Only a title\n\n## Background\nSome context.\n'),
      (e: unknown) => AuraError.is(e, 'invalid_input') && /The plan has no tasks/.test(e.message),
    );
  });

  it('lists every unresolvable explicit reference and every cycle at once', () => {
    const bad = `## Work\n- \`a\`: First (after \`b\`)\n- \`b\`: Second (after \`a\`)\n- \`c\`: Third (depends on \`nowhere\`)\n- \`d\`: Fourth (after task 9)\n`;
    assert.throws(
      () => planFromMarkdown(bad),
      (e: unknown) => {
        const problems = (e as AuraError).details?.problems as Array<{ code: string }>;
        return AuraError.is(e, 'invalid_input') && problems.map((p) => p.code).sort().join(',') === 'cycle,unknown_dependency,unknown_dependency' && /a → b → a/.test(e.message);
      },
    );
  });

  it('keys tasks uniquely when titles repeat, and numbers refer within their own list first', () => {
    const { plan: p } = planFromMarkdown('## A\n1. Write tests\n2. Write tests (after 1)\n## B\n1. Ship\n');
    assert.deepEqual(p.tasks.map((t) => [t.id, t.dependsOn]), [['write-tests', []], ['write-tests-2', ['write-tests']], ['ship', []]]);
  });

  it('ignores code fences when looking for items', () => {
    const { plan: p } = planFromMarkdown('## Work\n- Build it\n  ```\n  - not an item\n  ```\n- Test it\n');
    assert.deepEqual(p.tasks.map((t) => t.id), ['build-it', 'test-it']);
    assert.match(p.tasks[0]!.description, /not an item/);
  });
});

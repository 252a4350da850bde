// Scope globs: which changed paths a task's scope covers.
import assert from 'node:assert/strict';
import { globMatch, outsideScope } from '../../../core/governance/auditor/scope-glob';

describe('scope globs', () => {
  it('matches ** across folders and * within one', () => {
    assert.ok(globMatch('src/**', 'src/a/b/c.ts'));
    assert.ok(globMatch('src/*.ts', 'src/a.ts'));
    assert.ok(!globMatch('src/*.ts', 'src/a/b.ts'));
    assert.ok(globMatch('**/*.md', 'README.md'));
    assert.ok(globMatch('**/*.md', 'docs/x/y.md'));
    assert.ok(globMatch('file?.txt', 'file1.txt'));
  });

  it('treats a plain folder name as its whole subtree and escapes regex characters', () => {
    assert.ok(globMatch('docs', 'docs/a.md'));
    assert.ok(globMatch('docs/', 'docs/a/b.md'));
    assert.ok(!globMatch('docs', 'docsx/a.md'));
    assert.ok(!globMatch('a+b.txt', 'aab.txt'));
    assert.ok(globMatch('./src/**', 'src/x.ts'));
  });

  it('lists the paths outside a scope; an empty scope covers nothing', () => {
    assert.deepEqual(outsideScope(['src/a.ts', 'package.json', 'docs/x.md'], ['src/**', 'docs/']), ['package.json']);
    assert.deepEqual(outsideScope(['a.txt'], []), ['a.txt']);
  });
});

// Evidence content: the same content hashes alike however it was built; secrets, NUL and huge texts never get in.
import assert from 'node:assert/strict';
import { clip, scrubEvidence } from '../../../core/governance/auditor/evidence-scrub';
import { evidenceHash } from '../../../core/governance/auditor/evidence-store';
import { changedFilesOfDiff } from '../../../core/governance/auditor/scope-layer';

describe('evidence content', () => {
  it('hashes equal content alike whatever the key order, and different content differently', () => {
    assert.equal(evidenceHash({ a: 1, b: { c: [1, 2], d: 'x' } }), evidenceHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    assert.notEqual(evidenceHash({ a: 1 }), evidenceHash({ a: 2 }));
    assert.match(evidenceHash({}), /^[0-9a-f]{64}$/);
  });

  it('redacts fields named like secrets at any depth and drops undefined', () => {
    const scrubbed = scrubEvidence({ apiKey: 'sk-1', nested: { Authorization: 'Bearer x', password: 'p', keep: 'ok' }, list: [{ token: 't' }], gone: undefined });
    assert.deepEqual(scrubbed, { apiKey: '[redacted]', nested: { Authorization: '[redacted]', password: '[redacted]', keep: 'ok' }, list: [{ token: '[redacted]' }] });
  });

  it('replaces NUL and keeps the head and tail of long texts', () => {
    assert.equal(scrubEvidence('a\u0000b'), 'a\uFFFDb');
    const long = 'h'.repeat(10) + 'm'.repeat(100) + 't'.repeat(10);
    const clipped = clip(long, 20);
    assert.ok(clipped.startsWith('h'.repeat(10)) && clipped.endsWith('t'.repeat(10)));
    assert.match(clipped, /\[100 characters dropped\]/);
  });
});

describe('changed files of a diff', () => {
  it('reads both sides of every file header, quoted names included', () => {
    const diff = ['diff --git a/src/a.ts b/src/a.ts', 'index 1..2', '--- a/src/a.ts', '+++ b/src/a.ts', 'diff --git a/old.txt b/new.txt', 'diff --git "a/sp ace.md" "b/sp ace.md"', ''].join('\n');
    assert.deepEqual(changedFilesOfDiff(diff), ['new.txt', 'old.txt', 'sp ace.md', 'src/a.ts']);
  });
});

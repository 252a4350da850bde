// Output capture: secrets masked even across chunk boundaries, output capped with head and tail kept.
import assert from 'node:assert/strict';
import { CappedText, createRedactor, createStreamCapture } from '../../../adapters/containers/output-capture';

describe('createRedactor', () => {
  it('masks a secret cut in two by a chunk boundary', () => {
    const r = createRedactor(['sk-SECRET-123']);
    const out = r.push('key=sk-SEC') + r.push('RET-123 done') + r.flush();
    assert.equal(out, 'key=*** done');
  });

  it('masks every occurrence of every secret, the longest first', () => {
    const r = createRedactor(['abc', 'abcdef', '']);
    assert.equal(r.push('abcdef abc x') + r.flush(), '*** *** x');
  });

  it('passes text through unchanged when there is nothing to mask', () => {
    const r = createRedactor([]);
    assert.equal(r.push('plain') + r.flush(), 'plain');
  });

  it('never emits a prefix of a secret before it knows the rest', () => {
    const r = createRedactor(['hunter2']);
    const first = r.push('pw: hunt');
    assert.ok(!first.includes('hunt'), `emitted ${JSON.stringify(first)} too early`);
    assert.equal(first + r.push('er2') + r.flush(), 'pw: ***');
  });
});

describe('CappedText', () => {
  it('keeps everything under the budget', () => {
    const t = new CappedText(100);
    t.add('hello ');
    t.add('world');
    assert.equal(t.text(), 'hello world');
    assert.equal(t.truncated, false);
  });

  it('keeps the head and the tail and says how much it dropped', () => {
    const t = new CappedText(40);
    for (let i = 0; i < 100; i++) t.add(`${String(i).padStart(3, '0')}\n`);
    const text = t.text();
    assert.equal(t.truncated, true);
    assert.ok(text.startsWith('000\n001\n'), text);
    assert.ok(text.endsWith('098\n099\n'), text);
    assert.match(text, /\[aura: \d+ bytes of output dropped\]/);
    const dropped = Number(/\[aura: (\d+) bytes/.exec(text)![1]);
    assert.equal(dropped, 400 - 40);
  });
});

describe('createStreamCapture', () => {
  it('decodes UTF-8 split across chunks and streams redacted text live', () => {
    const live: string[] = [];
    const c = createStreamCapture({ stream: 'stdout', redact: ['TOKEN42'], maxBytes: 1024, onOutput: (_s, text) => live.push(text) });
    const bytes = Buffer.from('é TOKEN42 ü');
    for (let i = 0; i < bytes.length; i++) c.sink.write(bytes.subarray(i, i + 1));
    const { text } = c.finish();
    assert.equal(text, 'é *** ü');
    assert.equal(live.join(''), 'é *** ü');
    assert.ok(live.every((chunk) => !chunk.includes('TOKEN')));
  });
});

// The edge limits every tool call passes: size, element count, depth and storable text.
import assert from 'node:assert/strict';
import { argumentShapeProblem, MAX_ARGUMENT_CHARS, MAX_ARGUMENT_DEPTH, MAX_ARGUMENT_ELEMENTS } from '../../../mcp-server/mcp/input-limits';

describe('argument shape limits', () => {
  it('accepts ordinary arguments, including non-ASCII text and emoji', () => {
    assert.equal(argumentShapeProblem({ runId: 'run_1', reason: 'déjà vu 🚀 日本語', tags: ['a', 'b'] }), undefined);
  });

  it('refuses a NUL character anywhere, naming where', () => {
    assert.match(argumentShapeProblem({ a: { b: ['ok', 'x\u0000y'] } })!, /a\.b\.1 contains the NUL character/);
  });

  it('refuses a lone surrogate in a value or a key', () => {
    assert.match(argumentShapeProblem({ reason: 'bad \ud800 text' })!, /lone surrogate/);
    assert.match(argumentShapeProblem({ ['k\udc00']: 1 })!, /a key in \(root\) is not well-formed/);
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.match(argumentShapeProblem({ x: deep })!, new RegExp(`deeper than ${MAX_ARGUMENT_DEPTH}`));
  });

  it('refuses more elements than the limit', () => {
    assert.match(argumentShapeProblem({ xs: new Array(MAX_ARGUMENT_ELEMENTS + 1).fill(0) })!, /more than 10000 elements/);
  });

  it('refuses arguments larger than the character limit', () => {
    assert.match(argumentShapeProblem({ prd: 'x'.repeat(MAX_ARGUMENT_CHARS + 1) })!, /the limit is 1000000/);
  });
});

// Cost from tokens and the cost table; the structured-answer check (JSON, fenced JSON, schema).
import assert from 'node:assert/strict';
import { callCostUsd } from '../../../core/workforce/cost';
import { checkStructuredAnswer } from '../../../core/workforce/structured-output';

describe('callCostUsd', () => {
  it('prices tokens per million, input and output apart', () => {
    assert.equal(callCostUsd({ inputPerMTok: 3, outputPerMTok: 15 }, 10_000, 2_000), 0.06);
    assert.equal(callCostUsd({ inputPerMTok: 0.1, outputPerMTok: 0.2 }, 1, 2), 0.0000005);
    assert.equal(callCostUsd({ inputPerMTok: 0, outputPerMTok: 0 }, 5_000, 5_000), 0);
  });
});

describe('checkStructuredAnswer', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'], additionalProperties: false };

  it('accepts JSON matching the schema, and one surrounding Markdown fence', () => {
    assert.deepEqual(checkStructuredAnswer('{"n": 2}', schema), { ok: true, text: '{"n": 2}', value: { n: 2 } });
    const fenced = checkStructuredAnswer('```json\n{"n": 3}\n```', schema);
    assert.ok(fenced.ok && fenced.text === '{"n": 3}');
  });

  it('refuses prose as not_json and a wrong shape as schema_mismatch, naming the field', () => {
    const prose = checkStructuredAnswer('Here you go: n is 2', schema);
    assert.equal(prose.ok, false);
    assert.equal(!prose.ok && prose.reason, 'not_json');
    const wrong = checkStructuredAnswer('{"n": 0}', schema);
    assert.equal(!wrong.ok && wrong.reason, 'schema_mismatch');
    assert.match(!wrong.ok ? wrong.message : '', /n:/);
  });

  it('falls back to the JSON check alone for a schema zod cannot express', () => {
    const result = checkStructuredAnswer('{"a": 1}', { $ref: 'https://example.invalid/remote.json' });
    assert.equal(result.ok, true);
  });
});

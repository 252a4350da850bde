// The model planner: JSON checked by zod and the DAG rules, errors fed back for at most 2 retries, then the fallback.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { createPlanner } from '../../../core/manager/planner';
import type { CompletionRequest, CompletionResponse, ModelProvider } from '../../../core/workforce/model-provider';

/** A ModelProvider (core port) that answers from a script and keeps every request. */
function scriptedModel(answers: Array<string | Error>): ModelProvider & { requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  return {
    provider: 'scripted',
    model: 'planner-1',
    requests,
    async complete(request): Promise<CompletionResponse> {
      requests.push(structuredClone({ ...request, signal: undefined }));
      const answer = answers.shift() ?? new Error('script exhausted');
      if (answer instanceof Error) throw answer;
      return { text: answer, tokensIn: 100, tokensOut: 50, latencyMs: 5, costUsd: 0.01, model: 'planner-1', finishReason: 'stop' };
    },
  };
}

const good = JSON.stringify({ title: 'Shop', tasks: [{ id: 'api', title: 'API', kind: 'code' }, { id: 'ui', title: 'UI', kind: 'code', dependsOn: ['api'] }] });
const prd = '# Shop\n\n## Work\n- `api`: Build the API\n- `ui`: Build the UI (after `api`)\n';

describe('model planner', () => {
  it('uses a valid first answer, asking for structured output with the plan schema', async () => {
    const model = scriptedModel([good]);
    const planned = await createPlanner({ model }).plan({ prd });
    assert.equal(planned.planner, 'model:scripted/planner-1');
    assert.deepEqual(planned.plan.tasks.map((t) => [t.id, t.dependsOn]), [['api', []], ['ui', ['api']]]);
    assert.equal(model.requests[0]!.jsonSchema?.name, 'plan');
    assert.equal(planned.costUsd, 0.01);
  });

  it('feeds each error back and accepts a corrected answer', async () => {
    const cyclic = JSON.stringify({ title: 'Shop', tasks: [{ id: 'a', title: 'A', kind: 'code', dependsOn: ['b'] }, { id: 'b', title: 'B', kind: 'code', dependsOn: ['a'] }] });
    const model = scriptedModel(['not json at all', cyclic, '```json\n' + good + '\n```']);
    const planned = await createPlanner({ model }).plan({ prd });
    assert.equal(planned.planner, 'model:scripted/planner-1');
    assert.equal(model.requests.length, 3);
    assert.match(model.requests[1]!.messages.at(-1)!.content, /not valid JSON/);
    assert.match(model.requests[2]!.messages.at(-1)!.content, /Dependency cycle: a → b → a/);
    assert.equal(model.requests[2]!.messages.filter((m) => m.role === 'assistant').length, 2);
  });

  it('falls back to the structural planner after two retries', async () => {
    const model = scriptedModel(['{}', '{"title": "x", "tasks": [{"id": "BAD"}]}', '[]', good]);
    const planned = await createPlanner({ model }).plan({ prd });
    assert.equal(model.requests.length, 3);
    assert.match(planned.planner, /^structural \(fallback: no valid plan after 3 tries/);
    assert.deepEqual(planned.plan.tasks.map((t) => t.id), ['api', 'ui']);
    assert.equal(planned.costUsd, 0.03);
  });

  it('falls back at once when the model cannot be reached', async () => {
    const model = scriptedModel([new AuraError('unavailable', 'connection refused')]);
    const planned = await createPlanner({ model }).plan({ prd });
    assert.equal(model.requests.length, 1);
    assert.match(planned.planner, /fallback: model call failed: connection refused/);
  });

  it('still refuses a PRD neither planner can read', async () => {
    const model = scriptedModel(['nope', 'nope', 'nope']);
    await assert.rejects(createPlanner({ model }).plan({ prd: 'just words, nothing to do' }), (e: unknown) => AuraError.is(e, 'invalid_input'));
  });
});

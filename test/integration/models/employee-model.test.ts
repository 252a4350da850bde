// The planner and reviewer models are hired employees found by name: calls go through their profile and key reference.
import assert from 'node:assert/strict';
import { createEmployeeModel } from '../../../adapters/employee-model';
import { AuraError } from '../../../core/domain/errors';
import { createEmployeeRegistry } from '../../../core/workforce/employee-registry';
import { testEventLog } from '../../support/events';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { describeStores } from '../../support/stores';
import { harnesses, jsonRequest, profileFor, TEST_KEY } from './harness';

const openai = harnesses[0]!;

describeStores(
  'employee models (planner, reviewer)',
  (ctx) => {
    let standIn: StandIn;
    before(async () => {
      standIn = await openai.start({ apiKey: TEST_KEY, models: ['stand-in-model'] });
    });
    after(() => standIn.close());

    const registry = () => createEmployeeRegistry({ store: ctx.store, events: testEventLog(ctx.store) });
    const model = (name: string) => createEmployeeModel({ name, role: 'planner', employees: registry(), deps: { secrets: { env: { STAND_IN_API_KEY: TEST_KEY } } } });

    it('answers through the named employee\'s provider, model and key reference', async () => {
      await registry().hire(profileFor(openai, standIn, { name: 'planner-pat' }), 'director');
      standIn.enqueue({ kind: 'answer', text: '{"summary":"planned","files":[]}', tokensIn: 40, tokensOut: 10 });
      const answer = await model('planner-pat').complete(jsonRequest);
      assert.equal(answer.text, '{"summary":"planned","files":[]}');
      assert.equal(answer.model, 'stand-in-model');
      assert.equal(standIn.calls.length, 1);
      assert.equal(standIn.calls[0]!.headers.authorization, `Bearer ${TEST_KEY}`);
    });

    it('names the setting when no employee has that name', async () => {
      await assert.rejects(model('nobody').complete(jsonRequest), (e: unknown) => AuraError.is(e, 'config') && /AURA_PLANNER_EMPLOYEE.*no employee has that name/.test(e.message));
    });

    it('refuses a suspended employee and one that is not a model endpoint', async () => {
      const sue = await registry().hire(profileFor(openai, standIn, { name: 'planner-sue' }), 'director');
      await registry().setStatus(sue.id, 'suspended', 'test', 'director');
      await assert.rejects(model('planner-sue').complete(jsonRequest), /is suspended/);
      await registry().hire({ name: 'scripty', provider: 'cli', model: 'sh', command: ['sh', '-c', 'true'] }, 'director');
      await assert.rejects(model('scripty').complete(jsonRequest), /must be an ollama, openai or gemini employee/);
    });
  },
  { only: 'postgres' },
);

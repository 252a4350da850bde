// Submit PRD's template choice: the quick-pick rows and the variables still to ask, from list_templates' answer.
import assert from 'node:assert/strict';
import { templateChoiceSchema, templatePickItems, variablesToAsk } from '../../../extension/commands/template-choice';

const feature = templateChoiceSchema.parse({
  name: 'feature-from-prd',
  version: 1,
  title: 'Feature from PRD',
  description: 'Design, build, test',
  phases: ['Design', 'Build', 'Test'],
  variables: { prd: { description: 'the PRD' }, testCommand: { description: 'the test command', default: 'npm test' }, owner: { description: 'who signs off', example: 'ada' } },
  origin: 'shipped',
});

describe('Submit PRD template choice', () => {
  it('offers planning the open PRD as written first, then each template with its phases', () => {
    const items = templatePickItems([feature], true);
    assert.deepEqual(items.map((i) => [i.label, i.template]), [['No template', null], ['Feature from PRD', 'feature-from-prd']]);
    assert.equal(items[1]!.description, 'feature-from-prd v1 · Design → Build → Test');
  });

  it('offers only templates when no PRD is open', () => {
    assert.deepEqual(templatePickItems([feature], false).map((i) => i.template), ['feature-from-prd']);
  });

  it('asks only for variables without a default that were not given, and not for the PRD the editor holds', () => {
    assert.deepEqual(variablesToAsk(feature, true, {}).map((v) => [v.name, v.placeHolder]), [['owner', 'ada']]);
    assert.deepEqual(variablesToAsk(feature, false, { owner: 'bo' }).map((v) => v.name), ['prd']);
  });
});

// Phase templates: the shipped library parses and plans, broken templates are refused with their problem, submit_prd
// starts a run from a template, and a run's plan saved as a template plans back into the same tasks.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { planFromMarkdown } from '../../../core/manager/structural-planner';
import { parseTemplate, renderTemplate, samplePlan } from '../../../core/templates/template-format';
import { findTemplatesDir, loadShippedTemplates } from '../../../core/templates/template-library';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { httpClient, startTestHttp, testCore, tokenFor } from '../mcp/support/mcp-harness';
import { callOk } from '../mcp/support/tool-scenarios';

const shippedDir = findTemplatesDir(path.join(__dirname, '..', '..', '..'));
const good = `---
apiVersion: aura.template/1
name: tiny
version: 1
title: Tiny
description: One task and a gate.
phases: [Build]
variables:
  thing: { description: what to build }
approvalGates: [ok]
---
# Tiny
- \`make\`: Make {{thing}}
- \`ok\`: Approve {{thing}} (after \`make\`)
`;

async function toolError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args }).then(
    (r) => r as CallToolResult,
    (e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }) as CallToolResult,
  );
  assert.equal(result.isError, true, `${name} should have failed`);
  return (result.content[0] as { text: string }).text;
}

describe('the shipped template library', () => {
  it('holds the seven phases and "feature from PRD", each parsing and planning with its sample values', () => {
    const templates = loadShippedTemplates(shippedDir);
    assert.deepEqual(templates.map((t) => t.name).sort(), ['build', 'deploy', 'design', 'feature-from-prd', 'ideation', 'prd', 'research', 'test']);
    for (const t of templates) assert.ok(samplePlan(t).tasks.length >= 2, t.name);
  });

  it('refuses a template whose front matter breaks the format, naming the field', () => {
    assert.throws(() => parseTemplate(good.replace('version: 1', 'version: one'), 'saved'), /Template refused: version: .*number/);
    assert.throws(() => parseTemplate(good.replace('apiVersion: aura.template/1', 'apiVersion: other/2'), 'saved'), /Template refused: apiVersion/);
    assert.throws(() => parseTemplate('# no front matter', 'saved'), /must open with YAML front matter/);
  });

  it('refuses a skeleton that uses an undeclared variable, gates on a task that is not an approval, or does not plan', () => {
    assert.throws(() => parseTemplate(good.replace('Make {{thing}}', 'Make {{other}}'), 'saved'), /uses \{\{other\}\} but variables declares no other/);
    assert.throws(() => parseTemplate(good.replace('approvalGates: [ok]', 'approvalGates: [make]'), 'saved'), /approvalGates names make, which the skeleton does not plan as approval tasks/);
    assert.throws(() => parseTemplate(good.replace("(after \\`make\\`)", '').replace('(after `make`)', '(after `nowhere`)'), 'saved'), /does not plan/);
  });

  it('renders with the given values and refuses a missing or unknown variable by name', () => {
    const t = parseTemplate(good, 'saved');
    assert.match(renderTemplate(t, { thing: 'a kite' }), /Make a kite/);
    assert.throws(() => renderTemplate(t, {}), /Template tiny needs thing \(what to build\)/);
    assert.throws(() => renderTemplate(t, { thing: 'x', colour: 'red' }), /has no variable colour/);
  });
});

describeStores(
  'templates over MCP',
  (ctx) => {
    let server: McpHttpServer;
    let director: Client;

    before(async function () {
      this.timeout(60_000);
      server = await startTestHttp(testCore(ctx.store));
      director = await httpClient(server.url, await tokenFor(testCore(ctx.store), 'director'));
    });
    after(async () => {
      await director?.close();
      await server?.close();
    });

    it('lists the library with each template’s variables and gates', async () => {
      const { templates } = await callOk<{ templates: Array<{ name: string; variables: Record<string, unknown>; approvalGates: string[]; origin: string }> }>(director, 'list_templates');
      const feature = templates.find((t) => t.name === 'feature-from-prd')!;
      assert.deepEqual(Object.keys(feature.variables), ['prd', 'testCommand']);
      assert.deepEqual([feature.approvalGates, feature.origin], [['approve-design', 'sign-off'], 'shipped']);
    });

    it('starts a run from "feature from PRD": design and its gate, the PRD’s own items, then tests, review and sign-off', async () => {
      const prd = '1. `cart-model`: Add the cart model\n2. `cart-api`: Add POST /cart (after `cart-model`)\n';
      const { run } = await callOk<{ run: { id: string; title: string } }>(director, 'submit_prd', { template: 'feature-from-prd', prd, variables: { testCommand: 'npm run check' } });
      assert.equal(run.title, 'Feature from PRD');
      const detail = await callOk<{ run: { tasks: Array<{ key: string; kind: string; dependsOn: string[] }> } }>(director, 'get_run', { runId: run.id });
      const keys = detail.run.tasks.map((t) => t.key);
      assert.deepEqual(keys, ['design', 'approve-design', 'cart-model', 'cart-api', 'full-suite', 'review', 'sign-off']);
      assert.ok(detail.run.tasks.find((t) => t.key === 'cart-model')!.dependsOn.includes('approve-design'));
      const events = await callOk<{ events: Array<{ type: string; payload: { name: string; variables: string[] } }> }>(director, 'query_events', { runId: run.id, types: ['TemplateApplied'] });
      assert.deepEqual(events.events.map((e) => [e.payload.name, e.payload.variables]), [['feature-from-prd', ['prd', 'testCommand']]]);
    });

    it('refuses a template submission missing a required variable, naming it, and starts nothing', async () => {
      const before = (await callOk<{ runs: unknown[] }>(director, 'list_runs')).runs.length;
      assert.match(await toolError(director, 'submit_prd', { template: 'deploy', variables: { service: 'the shop' } }), /Template deploy needs deployCommand .*smokeCommand/);
      assert.equal((await callOk<{ runs: unknown[] }>(director, 'list_runs')).runs.length, before);
    });

    it('saves a run’s plan as a template that plans back into the same tasks, as version 1 then 2', async () => {
      const prd = '# Shop\n- `a`: Build the cart (skills: code) (scope: src/cart/**)\n  - [ ] `npm test`\n- `b`: Approve the cart (after `a`)\n- `c`: Write the docs (kind: doc) (after `b`)\n';
      const { run } = await callOk<{ run: { id: string } }>(director, 'submit_prd', { prd });
      const first = await callOk<{ template: { name: string; version: number; approvalGates: string[]; origin: string } }>(director, 'save_template', { runId: run.id, name: 'shop-cart' });
      assert.deepEqual([first.template.version, first.template.approvalGates, first.template.origin], [1, ['b'], 'saved']);
      const second = await callOk<{ template: { version: number } }>(director, 'save_template', { runId: run.id, name: 'shop-cart' });
      assert.equal(second.template.version, 2);
      const { source } = await callOk<{ source: string }>(director, 'get_template', { name: 'shop-cart' });
      const replanned = planFromMarkdown(parseTemplate(source, 'saved').body).plan.tasks;
      const original = (await callOk<{ run: { tasks: Array<{ key: string }> } }>(director, 'get_run', { runId: run.id })).run.tasks;
      assert.deepEqual(replanned.map((t) => t.id), original.map((t) => t.key));
      assert.deepEqual(replanned.map((t) => [t.kind, t.dependsOn, t.acceptance.commands, t.scope, t.skills]), [
        ['code', [], ['npm test'], ['src/cart/**'], ['code']],
        ['approval', ['a'], [], [], []],
        ['doc', ['b'], [], [], []],
      ]);
    });

    it('refuses to save over a shipped template and a broken template file, with its problem', async () => {
      assert.match(await toolError(director, 'save_template', { source: good.replace('name: tiny', 'name: build') }), /build is a shipped template/);
      assert.match(await toolError(director, 'save_template', { source: good.replace('Make {{thing}}', 'Make {{nope}}') }), /invalid_input: Template refused: .*\{\{nope\}\}/);
    });
  },
  { only: 'pglite' },
);

// The extension's plain helpers: status bar text, the hire profile, the approval preview, score series.
import assert from 'node:assert/strict';
import { approvalMarkdown } from '../../../extension/commands/approval-markdown';
import { agentChoices, hireProfile } from '../../../extension/commands/hire-profile';
import { statusText } from '../../../extension/status-text';
import { approvalSchema, scoreSchema } from '../../../webview-ui/protocol/aura-data';
import { alignSeries } from '../../../webview-ui/views/score-series';

describe('status bar text', () => {
  it('shows running tasks and pending approvals when connected', () => {
    const t = statusText({ state: 'connected', detail: 'http://127.0.0.1:9000/mcp', runningTasks: 2, pendingApprovals: 1, local: true });
    assert.match(t.text, /Aura \(local\)/);
    assert.match(t.text, /\$\(play\) 2/);
    assert.match(t.text, /\$\(bell-dot\) 1/);
    assert.equal(t.warn, false);
  });

  it('warns when the token was refused', () => {
    const t = statusText({ state: 'unauthorized', detail: 'refused', runningTasks: 0, pendingApprovals: 0, local: false });
    assert.match(t.text, /token refused/);
    assert.equal(t.warn, true);
  });
});

describe('hire profile', () => {
  it('gives a hosted model a key reference and network egress, never a key', () => {
    const p = hireProfile({ provider: 'openai', model: ' gpt-4.1-mini ', name: ' ada ', skills: 'ts, tests, ,' });
    assert.deepEqual(p, { name: 'ada', provider: 'openai', model: 'gpt-4.1-mini', skills: ['ts', 'tests'], apiKeyRef: 'env:OPENAI_API_KEY', egress: true });
  });

  it('hires a coding agent as it is: its preset, and the key its protocol takes kept by the gateway', () => {
    const p = hireProfile({ provider: 'cli', agent: 'claude-code', model: 'claude-sonnet-4-5', name: 'claude', skills: 'ts' });
    assert.deepEqual(p, { name: 'claude', provider: 'cli', model: 'claude-sonnet-4-5', skills: ['ts'], agent: 'claude-code', apiKeyRef: 'env:ANTHROPIC_API_KEY' });
    assert.equal(hireProfile({ provider: 'cli', agent: 'gemini-cli', model: 'gemini-2.5-pro', name: 'g', skills: '' }).apiKeyRef, 'env:GEMINI_API_KEY');
    assert.equal(hireProfile({ provider: 'cli', agent: 'qwen-code', model: 'qwen3-coder-plus', name: 'q', skills: '' }).apiKeyRef, 'env:OPENAI_API_KEY');
    assert.deepEqual(agentChoices.map((a) => a.name), ['claude-code', 'codex', 'gemini-cli', 'qwen-code']);
    for (const a of agentChoices) assert.ok(a.models.length > 0 && /@\d/.test(a.description), a.name);
  });

  it('hires an own command line split into its words, with no key', () => {
    const p = hireProfile({ provider: 'cli', command: ' node  /opt/agent.js --fast ', model: 'custom', name: 'mine', skills: '' });
    assert.deepEqual(p.command, ['node', '/opt/agent.js', '--fast']);
    assert.equal(p.agent, undefined);
    assert.equal(p.apiKeyRef, undefined);
  });

  it('gives a local model neither', () => {
    const p = hireProfile({ provider: 'ollama', model: 'llama3.1:8b', name: 'llama', skills: '' });
    assert.equal(p.apiKeyRef, undefined);
    assert.equal(p.egress, undefined);
    assert.deepEqual(p.skills, []);
  });
});

describe('approval preview', () => {
  it('shows the title, the run and the command held', () => {
    const md = approvalMarkdown(approvalSchema.parse({ id: 'a1', runId: 'r1', title: 'Deploy', kind: 'tool', preview: { command: 'npm publish' } }));
    assert.match(md, /^# Deploy/);
    assert.match(md, /run: r1/);
    assert.match(md, /```sh\nnpm publish\n```/);
  });

  it("shows a task's acceptance and the rule that asked", () => {
    const md = approvalMarkdown(
      approvalSchema.parse({
        id: 'a2',
        kind: 'task',
        reason: 'secret files need approval',
        preview: { task: { title: 'Rotate keys', kind: 'code', description: 'Rotate the API keys', acceptance: { criteria: ['old keys fail'], commands: ['npm test'] }, scope: ['config/**'] }, policyRule: { name: 'secret-files', reason: 'secret files need approval' } },
      }),
    );
    assert.match(md, /^# Rotate keys/);
    assert.match(md, /## Task: Rotate keys \(code\)/);
    assert.match(md, /- old keys fail/);
    assert.match(md, /- `npm test` succeeds/);
    assert.match(md, /May change: `config\/\*\*`/);
    assert.match(md, /policy rule \*\*secret-files\*\*/);
  });
});

describe('score series', () => {
  it('aligns histories on one time axis with gaps as null', () => {
    const scores = [
      scoreSchema.parse({ employeeId: 'a', score: 0.8, history: [{ at: '2026-01-01T00:00:00Z', score: 0.5 }, { at: '2026-01-02T00:00:00Z', score: 0.8 }] }),
      scoreSchema.parse({ employeeId: 'b', score: 0.6, history: [{ at: '2026-01-02T00:00:00Z', score: 0.6 }] }),
    ];
    const { xs, ys } = alignSeries(scores);
    assert.equal(xs.length, 2);
    assert.ok(xs[0]! < xs[1]!);
    assert.deepEqual(ys, [[0.5, 0.8], [null, 0.6]]);
  });
});

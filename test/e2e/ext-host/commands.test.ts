// The extension's commands run inside a real VS Code extension host against a real `aura serve`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AuraExtensionApi } from '../../../extension/extension';
import { connectAuraClient } from '../../../webview-ui/protocol/aura-client';
import { approvalSchema, employeeSchema, parseList, parseOne, runSchema, taskSchema } from '../../../webview-ui/protocol/aura-data';

interface HostConfig {
  mcpUrl: string;
  token: string;
}
const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8')) as HostConfig;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Aura commands in the extension host', () => {
  let api: AuraExtensionApi;
  const employees = async () => parseList(await api.context.connection.call('list_employees', {}), 'employees', employeeSchema);

  before(async () => {
    const ext = vscode.extensions.getExtension<AuraExtensionApi>('aura-orchestra.aura-orchestra');
    assert.ok(ext, 'the extension is installed');
    api = (await ext.activate())!;
    assert.ok(api?.context, 'activation returned the extension API (it did not fail)');
  });

  it('registers every command the manifest contributes', async () => {
    const ext = vscode.extensions.getExtension('aura-orchestra.aura-orchestra')!;
    const contributed = (ext.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
    assert.ok(contributed.length >= 20);
  });

  it('connects with the token kept in SecretStorage ("Connect to Server")', async () => {
    await api.context.secrets.setToken(config.mcpUrl, config.token);
    await vscode.commands.executeCommand('aura.connect');
    assert.equal(api.context.connection.state, 'connected', api.context.connection.detail);
  });

  it('hires an employee ("Hire Employee" with the answers given)', async () => {
    await vscode.commands.executeCommand('aura.hireEmployee', { provider: 'ollama', model: 'llama3.1:8b', name: 'host-llama', skills: 'typescript' });
    const hired = (await employees()).find((e) => e.name === 'host-llama');
    assert.ok(hired, 'the employee is listed');
    assert.equal(hired.provider, 'ollama');
  });

  it('hires a coding agent as it is ("Hire Employee", provider cli, agent codex)', async () => {
    await vscode.commands.executeCommand('aura.hireEmployee', { provider: 'cli', agent: 'codex', model: 'gpt-5-codex', name: 'host-codex', skills: 'typescript' });
    const hired = (await employees()).find((e) => e.name === 'host-codex');
    assert.ok(hired, 'the agent is listed');
    assert.deepEqual([hired.provider, hired.agent], ['cli', 'codex']);
  });

  it('suspends, reinstates and terminates that employee', async () => {
    const id = (await employees()).find((e) => e.name === 'host-llama')!.id;
    const node = { kind: 'employee', employee: { id } };
    await vscode.commands.executeCommand('aura.suspendEmployee', node, { reason: 'extension-host test' });
    assert.equal((await employees()).find((e) => e.id === id)?.status, 'suspended');
    await vscode.commands.executeCommand('aura.reinstateEmployee', node, { reason: 'extension-host test' });
    assert.equal((await employees()).find((e) => e.id === id)?.status, 'active');
    await vscode.commands.executeCommand('aura.terminateEmployee', node, { reason: 'extension-host test', confirmed: true });
    assert.equal((await employees()).find((e) => e.id === id)?.status, 'terminated');
  });

  it('verifies the audit log ("Verify Audit Log")', async () => {
    const result = (await vscode.commands.executeCommand('aura.verifyAudit')) as { ok?: boolean; valid?: boolean };
    assert.ok(result?.ok ?? result?.valid, JSON.stringify(result));
  });

  it('shows a failing command as an error instead of throwing', async () => {
    const result = await vscode.commands.executeCommand('aura.suspendEmployee', { employee: { id: 'no-such-employee' } }, { reason: 'x' });
    assert.equal(result, undefined);
    assert.equal(api.context.connection.state, 'connected');
  });

  describe('on a run', () => {
    let runId: string;
    const run = async () => parseOne(await api.context.connection.call('get_run', { runId }), 'run', runSchema)!;
    const tasks = async () => parseList(await api.context.connection.call('list_tasks', { runId }), 'tasks', taskSchema);
    const pending = async () => parseList(await api.context.connection.call('list_approvals', { runId }), 'approvals', approvalSchema);

    it('submits the PRD of the active Markdown editor ("Submit PRD")', async () => {
      const doc = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: '# Search page\n\n## Work\n\n1. Build the search index\n2. Build the results page (after: 1)\n3. Approve the ranking rules\n',
      });
      await vscode.window.showTextDocument(doc);
      runId = (await vscode.commands.executeCommand('aura.submitPrd', undefined, { confirmed: true })) as string;
      assert.match(String(runId), /^run_/);
      const r = await run();
      assert.equal(r.title, 'Search page');
      assert.equal((await tasks()).length, 3);
    });

    it('shows the run in the Runs tree and the approval in the Approvals view with its count', async () => {
      const roots = (await api.context.trees.runs.getChildren()) as Array<{ kind: string; run?: { id: string } }>;
      assert.ok(roots.some((n) => n.run?.id === runId));
      const approvals = (await api.context.trees.approvals.getChildren()) as Array<{ kind: string; approval?: { runId?: string | null } }>;
      assert.ok(approvals.some((n) => n.approval?.runId === runId));
      assert.ok(api.context.trees.approvals.pending >= 1);
    });

    it('refreshes the Runs tree when the run changes on the server (resource subscription)', async () => {
      await api.context.trees.runs.getChildren(); // subscribes to the runs it shows
      const other = await connectAuraClient({ url: config.mcpUrl, token: config.token, clientName: 'other-director', clientVersion: '1' });
      try {
        const changed = new Promise<void>((resolve) => {
          const sub = api.context.trees.runs.onDidChangeTreeData(() => (sub.dispose(), resolve()));
        });
        await other.call('pause_run', { runId, reason: 'paused by another client' });
        await Promise.race([changed, new Promise((_, reject) => setTimeout(() => reject(new Error('no refresh within 10 s')), 10_000))]);
        await other.call('resume_run', { runId });
      } finally {
        await other.close();
      }
    });

    it('pauses and resumes the run ("Pause Run", "Resume Run")', async () => {
      await vscode.commands.executeCommand('aura.pauseRun', { kind: 'run', run: { id: runId } }, { reason: 'extension-host test' });
      assert.equal((await run()).status, 'paused');
      await vscode.commands.executeCommand('aura.resumeRun', { kind: 'run', run: { id: runId } });
      assert.equal((await run()).status, 'running');
    });

    it('approves the approval task ("Approve")', async () => {
      const approval = (await pending()).find((a) => a.status === 'pending');
      assert.ok(approval, 'the plan asked for an approval');
      await vscode.commands.executeCommand('aura.approve', { kind: 'approval', approval: { id: approval.id } }, { confirmed: true });
      assert.equal((await pending()).filter((a) => a.status === 'pending').length, 0);
    });

    it('skips a task ("Skip Task")', async () => {
      const task = (await tasks()).find((t) => t.status === 'ready' || t.status === 'pending');
      assert.ok(task);
      await vscode.commands.executeCommand('aura.skipTask', { kind: 'task', task: { id: task.id } }, { reason: 'extension-host test' });
      assert.equal((await tasks()).find((t) => t.id === task.id)?.status, 'skipped');
    });

    it('asks the Manager about the run ("Chat with Manager")', async () => {
      const answer = (await vscode.commands.executeCommand('aura.chatWithManager', { kind: 'run', run: { id: runId } }, { message: 'What is left to do?' })) as string;
      assert.ok(typeof answer === 'string' && answer.length > 0, String(answer));
    });

    it('opens the dashboard on the run from its item menu ("Open Dashboard")', async () => {
      assert.equal(await vscode.commands.executeCommand('aura.openDashboard', { kind: 'run', run: { id: runId } }), runId);
      assert.ok(api.context.dashboard.visible, 'the dashboard panel is shown');
    });

    it('opens the dashboard on the run\'s chat ("Open Run Chat")', async () => {
      assert.equal(await vscode.commands.executeCommand('aura.openRunChat', { kind: 'run', run: { id: runId } }), runId);
      assert.ok(api.context.dashboard.visible, 'the dashboard panel is shown');
    });

    it('opens the dashboard on a task ("Show Evidence")', async () => {
      const task = (await tasks())[0]!;
      assert.equal(await vscode.commands.executeCommand('aura.showEvidence', { kind: 'task', task: { id: task.id }, runId }), task.id);
      assert.ok(api.context.dashboard.visible, 'the dashboard panel is shown');
    });

    it('cancels the run ("Cancel Run")', async () => {
      await vscode.commands.executeCommand('aura.cancelRun', { kind: 'run', run: { id: runId } }, { confirmed: true, reason: 'extension-host test done' });
      assert.equal((await run()).status, 'cancelled');
    });
  });

  describe('a local orchestrator', () => {
    it('starts a local orchestrator with one command, connects to it, and stops it', async () => {
      const aura = vscode.workspace.getConfiguration('aura');
      const [mcp, apiPort, ui] = [await freePort(), await freePort(), await freePort()];
      await aura.update('offerLocalOrchestrator', false, vscode.ConfigurationTarget.Global);
      await aura.update('localOrchestrator.apiPort', apiPort, vscode.ConfigurationTarget.Global);
      await aura.update('localOrchestrator.uiPort', ui, vscode.ConfigurationTarget.Global);
      await aura.update('serverUrl', `http://127.0.0.1:${mcp}/mcp`, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('aura.startLocalOrchestrator');
      assert.ok(api.context.local.running, 'the local orchestrator runs');
      await until('the connection to the local orchestrator', () => api.context.connection.state === 'connected');
      assert.deepEqual(await employees(), [], 'a fresh embedded database');
      await vscode.commands.executeCommand('aura.stopLocalOrchestrator');
      assert.equal(api.context.local.running, false);
      assert.notEqual(api.context.connection.state, 'connected');
      const answers = await fetch(`http://127.0.0.1:${apiPort}/health`).then(
        () => true,
        () => false,
      );
      assert.equal(answers, false, 'nothing answers on its port any more');
      await aura.update('serverUrl', config.mcpUrl, vscode.ConfigurationTarget.Global);
      await until('the connection back to the test server', () => api.context.connection.state === 'connected');
    });
  });
});

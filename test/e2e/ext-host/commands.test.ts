// The extension's commands run inside a real VS Code extension host against a real `aura serve`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AuraExtensionApi } from '../../../extension/extension';
import { employeeSchema, parseList } from '../../../webview-ui/protocol/aura-data';

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
  });
});

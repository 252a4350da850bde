// Commands on the workforce: hire (a quick-pick flow), suspend, reinstate, terminate.
import * as vscode from 'vscode';
import { act, askReason, type CommandFactory, commandInput, confirm } from './command-context';
import { hireProfile } from './hire-profile';
import { employeeIdFrom } from './pick';

const providerItems = [
  { label: 'ollama', description: 'a local model served by Ollama' },
  { label: 'openai', description: 'OpenAI (API key from OPENAI_API_KEY)' },
  { label: 'gemini', description: 'Google Gemini (API key from GEMINI_API_KEY)' },
  { label: 'cli', description: 'a CLI coding agent run in its container' },
];

const suggestedModels: Record<string, string[]> = {
  ollama: ['qwen2.5-coder:7b', 'llama3.1:8b'],
  openai: ['gpt-4.1-mini', 'gpt-4.1'],
  gemini: ['gemini-2.5-flash', 'gemini-2.5-pro'],
  cli: ['claude-code', 'codex'],
};

const hireEmployee: CommandFactory = (ctx) => async (answers?: { provider?: string; model?: string; name?: string; skills?: string }) => {
  if (answers?.provider && answers.model && answers.name) {
    return act(ctx, 'hire_employee', hireProfile({ provider: answers.provider, model: answers.model, name: answers.name, skills: answers.skills ?? '' }), `Hired ${answers.name}.`);
  }
  const provider = await vscode.window.showQuickPick(providerItems, { title: 'Hire an employee (1/4): provider', ignoreFocusOut: true });
  if (!provider) return;
  const models = suggestedModels[provider.label] ?? [];
  const modelPick = await vscode.window.showQuickPick([...models.map((m) => ({ label: m })), { label: 'Other…', description: 'type a model name' }], {
    title: 'Hire an employee (2/4): model',
    ignoreFocusOut: true,
  });
  if (!modelPick) return;
  const model = modelPick.label === 'Other…' ? await vscode.window.showInputBox({ title: 'Model name', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'required') }) : modelPick.label;
  if (!model) return;
  const name = await vscode.window.showInputBox({ title: 'Hire an employee (3/4): name', value: `${provider.label}-${model.replace(/[^a-z0-9]+/gi, '-')}`.toLowerCase(), ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'required') });
  if (!name) return;
  const skills = await vscode.window.showInputBox({ title: 'Hire an employee (4/4): skills, comma-separated', value: 'typescript, tests', ignoreFocusOut: true });
  if (skills === undefined) return;
  return act(ctx, 'hire_employee', hireProfile({ provider: provider.label, model, name, skills }), `Hired ${name.trim()}.`);
};

const suspendEmployee: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const input = commandInput(options);
  const employeeId = await employeeIdFrom(ctx, node, (s) => s !== 'suspended' && s !== 'terminated');
  if (!employeeId) return;
  const reason = input.reason ?? (await askReason('Why suspend this employee?'));
  if (!reason) return;
  return act(ctx, 'suspend_employee', { employeeId, reason }, `Employee ${employeeId} suspended.`);
};

const reinstateEmployee: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const input = commandInput(options);
  const employeeId = await employeeIdFrom(ctx, node, (s) => s === 'suspended');
  if (!employeeId) return;
  const reason = input.reason ?? (await askReason('Why reinstate this employee?', false));
  if (reason === undefined) return;
  return act(ctx, 'reinstate_employee', { employeeId, reason: reason || 'reinstated by the Director' }, `Employee ${employeeId} reinstated.`);
};

const terminateEmployee: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const input = commandInput(options);
  const employeeId = await employeeIdFrom(ctx, node, (s) => s !== 'terminated');
  if (!employeeId) return;
  if (!(await confirm(input, `Terminate employee ${employeeId}? Its running work is stopped and it gets no more tasks.`, 'Terminate'))) return;
  const reason = input.reason ?? (await askReason('Why terminate this employee?'));
  if (!reason) return;
  return act(ctx, 'terminate_employee', { employeeId, reason }, `Employee ${employeeId} terminated.`);
};

export const employeeCommands = {
  'aura.hireEmployee': hireEmployee,
  'aura.suspendEmployee': suspendEmployee,
  'aura.reinstateEmployee': reinstateEmployee,
  'aura.terminateEmployee': terminateEmployee,
} satisfies Record<string, CommandFactory>;

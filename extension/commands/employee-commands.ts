// Commands on the workforce: hire (a quick-pick flow), suspend, reinstate, terminate.
import * as vscode from 'vscode';
import { act, askReason, type CommandFactory, commandInput, confirm } from './command-context';
import { agentChoices, type HireAnswers, hireProfile } from './hire-profile';
import { employeeIdFrom } from './pick';

const providerItems = [
  { label: 'ollama', description: 'a local model served by Ollama' },
  { label: 'openai', description: 'OpenAI (API key from OPENAI_API_KEY)' },
  { label: 'gemini', description: 'Google Gemini (API key from GEMINI_API_KEY)' },
  { label: 'cli', description: 'a coding agent (Claude Code, Codex, Gemini CLI, Qwen Code) or your own command, in its container' },
];

const suggestedModels: Record<string, string[]> = {
  ollama: ['qwen2.5-coder:7b', 'llama3.1:8b'],
  openai: ['gpt-4.1-mini', 'gpt-4.1'],
  gemini: ['gemini-2.5-flash', 'gemini-2.5-pro'],
};

const OWN_COMMAND = 'Own command…';
const required = (v: string) => (v.trim() ? undefined : 'required');

/** provider cli: which coding agent, or an own command line; undefined when the Director dismissed the pick. */
async function pickAgent(): Promise<{ agent?: string; command?: string; models: string[] } | undefined> {
  const items = [...agentChoices.map((a) => ({ label: a.name, description: a.description, detail: `its key: ${a.keyVar}, held by the gateway` })), { label: OWN_COMMAND, description: 'a command line speaking the aura.cli-agent/1 protocol' }];
  const pick = await vscode.window.showQuickPick(items, { title: 'Hire an employee (1/4): which coding agent', ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.label !== OWN_COMMAND) return { agent: pick.label, models: agentChoices.find((a) => a.name === pick.label)?.models ?? [] };
  const command = await vscode.window.showInputBox({ title: 'The command line run in /workspace', value: 'node /opt/agent.js', ignoreFocusOut: true, validateInput: required });
  return command === undefined ? undefined : { command, models: ['custom'] };
}

const hireEmployee: CommandFactory = (ctx) => async (answers?: Partial<HireAnswers>) => {
  if (answers?.provider && answers.model && answers.name) {
    return act(ctx, 'hire_employee', hireProfile({ ...answers, provider: answers.provider, model: answers.model, name: answers.name, skills: answers.skills ?? '' }), `Hired ${answers.name}.`);
  }
  const provider = await vscode.window.showQuickPick(providerItems, { title: 'Hire an employee (1/4): provider', ignoreFocusOut: true });
  if (!provider) return;
  const cli = provider.label === 'cli' ? await pickAgent() : undefined;
  if (provider.label === 'cli' && !cli) return;
  const models = cli?.models ?? suggestedModels[provider.label] ?? [];
  const modelPick = await vscode.window.showQuickPick([...models.map((m) => ({ label: m })), { label: 'Other…', description: 'type a model name' }], {
    title: 'Hire an employee (2/4): model',
    ignoreFocusOut: true,
  });
  if (!modelPick) return;
  const model = modelPick.label === 'Other…' ? await vscode.window.showInputBox({ title: 'Model name', ignoreFocusOut: true, validateInput: required }) : modelPick.label;
  if (!model) return;
  const stem = cli?.agent ?? provider.label;
  const name = await vscode.window.showInputBox({ title: 'Hire an employee (3/4): name', value: `${stem}-${model.replace(/[^a-z0-9]+/gi, '-')}`.toLowerCase(), ignoreFocusOut: true, validateInput: required });
  if (!name) return;
  const skills = await vscode.window.showInputBox({ title: 'Hire an employee (4/4): skills, comma-separated', value: 'typescript, tests', ignoreFocusOut: true });
  if (skills === undefined) return;
  return act(ctx, 'hire_employee', hireProfile({ provider: provider.label, model, name, skills, agent: cli?.agent, command: cli?.command }), `Hired ${name.trim()}.`);
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

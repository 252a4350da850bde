// `aura employees [hire|suspend|reinstate|terminate]` and `aura scores`: the workforce and the Accountant's leaderboard.
import fs from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { AuraError } from '../../core/domain/errors';
import { protocolKeyVariables } from '../../core/gateway/model-gateway';
import type { AgentPreset } from '../../core/workforce/agents/agent-preset';
import { agentPresets } from '../../core/workforce/agents/agent-registry';
import { employeeSchema, parseList, parseOne } from '../../webview-ui/protocol/aura-data';
import { act, collect, printJson, printTable } from './command-kit';
import { type ServerOptions, serverOptions, withDirector } from './director-client';

interface HireOptions extends ServerOptions {
  file?: string;
  name?: string;
  provider?: string;
  model?: string;
  skills?: string[];
  baseUrl?: string;
  apiKeyRef?: string;
  egress?: boolean;
  agent?: string;
  image?: string;
}

/** The profile to hire: a YAML/JSON file, with flags on top; the server checks it (zod) and names what is wrong. */
function hireProfile(options: HireOptions): Record<string, unknown> {
  let profile: Record<string, unknown> = {};
  if (options.file) {
    let text: string;
    try {
      text = fs.readFileSync(options.file, 'utf8');
    } catch (error) {
      throw new AuraError('invalid_input', `--file ${options.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    const parsed: unknown = parseYaml(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AuraError('invalid_input', `--file ${options.file} is not a profile (expected a YAML or JSON object).`);
    profile = parsed as Record<string, unknown>;
  }
  const flags = { name: options.name, provider: options.provider, model: options.model, skills: options.skills, baseUrl: options.baseUrl, apiKeyRef: options.apiKeyRef, egress: options.egress, agent: options.agent, image: options.image };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) profile[k] = v;
  if (typeof profile.agent === 'string') {
    // A coding agent is a CLI employee; its model's key stays with the gateway, named by the usual variable.
    profile.provider ??= 'cli';
    const preset = (agentPresets as Record<string, AgentPreset | undefined>)[profile.agent];
    if (preset && profile.apiKeyRef === undefined) profile.apiKeyRef = `env:${protocolKeyVariables[preset.protocol]}`;
  }
  const missing = ['name', 'provider', 'model'].filter((k) => profile[k] === undefined);
  if (missing.length) throw new AuraError('invalid_input', `A hire needs ${missing.map((m) => `--${m}`).join(', ')} (or a --file profile that has them).`);
  return profile;
}

export function register(program: Command): void {
  const employees = serverOptions(
    program.command('employees').description('The employees (models that do the work); subcommands hire and change their status').option('--status <status>', 'only these statuses (repeatable)', collect),
  ).action(
    act('employees', async (options: ServerOptions & { status?: string[] }) =>
      withDirector(options, async (client) => {
        const list = parseList(await client.call('list_employees', options.status ? { status: options.status } : {}), 'employees', employeeSchema);
        if (options.json) printJson({ employees: list });
        else printTable(list.map((e) => ({ id: e.id, status: e.status, tier: e.tier ?? '', provider: e.agent ? `${e.provider ?? 'cli'} (${e.agent})` : (e.provider ?? ''), model: e.model ?? '', name: e.name })), ['id', 'status', 'tier', 'provider', 'model', 'name'], 'No employees yet. Hire one with: aura employees hire --name N --provider P --model M');
      }),
    ),
  );

  serverOptions(
    employees
      .command('hire')
      .description('Hire an employee; API keys are references (env:NAME or file:/path), never values')
      .option('--file <profile>', 'a YAML or JSON employee profile (flags override its fields)')
      .option('--name <name>')
      .option('--provider <provider>', 'openai, ollama, gemini or cli')
      .option('--model <model>')
      .option('--skills <skill>', 'skills (repeatable, or comma-separated)', collect)
      .option('--base-url <url>', 'the model endpoint (OpenAI-compatible servers, Ollama)')
      .option('--api-key-ref <ref>', 'env:NAME or file:/path of the API key')
      .option('--agent <agent>', `a coding agent hired as it is: ${Object.keys(agentPresets).join(', ')} (implies --provider cli)`)
      .option('--image <image>', 'the image its tasks run in (default: the worker image, or the agent\'s from `aura images build --agent`)')
      .option('--egress', 'let its container reach the network'),
  ).action(
    act('employees hire', async (options: HireOptions) => {
      const profile = hireProfile(options);
      return withDirector(options, async (client) => {
        const hired = parseOne(await client.call('hire_employee', profile), 'employee', employeeSchema)!;
        if (options.json) printJson({ employee: hired });
        else process.stdout.write(`Hired ${hired.name} as ${hired.id} (${hired.status}).${hired.agent ? ` Its tasks run in the ${hired.agent} image: build it once with aura images build --agent ${hired.agent}.` : ''}\n`);
      });
    }),
  );

  for (const [name, tool, verb] of [
    ['suspend', 'suspend_employee', 'Suspend an employee: its running work is stopped and reassigned'],
    ['reinstate', 'reinstate_employee', 'Reinstate a suspended or probation employee'],
    ['terminate', 'terminate_employee', 'Terminate an employee for good'],
  ] as const) {
    serverOptions(employees.command(name).description(verb).argument('<employee>', 'employee id').option('--reason <text>', 'why (required; recorded)')).action(
      act(`employees ${name}`, async (employeeId: string, options: ServerOptions & { reason?: string }) => {
        if (!options.reason) throw new AuraError('invalid_input', `aura employees ${name} needs --reason: it is recorded in the audit log.`);
        return withDirector(options, async (client) => {
          const changed = parseOne(await client.call(tool, { employeeId, reason: options.reason }), 'employee', employeeSchema)!;
          if (options.json) printJson({ employee: changed });
          else process.stdout.write(`${changed.name} (${changed.id}) is ${changed.status}.\n`);
        });
      }),
    );
  }

  serverOptions(
    program.command('scores').description("The Accountant's leaderboard, best first").option('--kind <kind>', 'only this task kind (code, doc, analysis, command, review)').option('--all', 'also employees with no assessed work yet'),
  ).action(
    act('scores', async (options: ServerOptions & { kind?: string; all?: boolean }) =>
      withDirector(options, async (client) => {
        if (!(await client.listTools()).has('get_scores')) throw new AuraError('conflict', `${client.url} has no Accountant (get_scores is not offered): governance is not running there.`);
        const value = (await client.call('get_scores', JSON.parse(JSON.stringify({ kind: options.kind, includeUnrated: options.all ?? false })))) as { leaderboard: Array<Record<string, unknown>> };
        if (options.json) return printJson(value);
        printTable(
          value.leaderboard.map((e) => ({ '#': String(e.position), score: Number(e.score).toFixed(1), tier: String(e.tier), attempts: String(e.attempts), verified: String(e.verified), employee: `${e.name} (${e.employeeId})` })),
          ['#', 'score', 'tier', 'attempts', 'verified', 'employee'],
          'No assessed work yet (aura scores --all lists every employee).',
        );
      }),
    ),
  );
}

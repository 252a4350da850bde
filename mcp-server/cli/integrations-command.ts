// `aura integrations list|configure|check|call`: the integration tools of a running aura serve, from the command line.
import type { Command } from 'commander';
import { AuraError } from '../../core/domain/errors';
import { act, printJson, printTable } from './command-kit';
import { type ServerOptions, serverOptions, withDirector } from './director-client';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A flag holding a JSON object (settings, params): parsed here so a typo is named before anything is sent. */
function jsonObject(flag: string, value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new AuraError('invalid_input', `--${flag} must be a JSON object: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AuraError('invalid_input', `--${flag} must be a JSON object, e.g. '{"channel":"general","text":"hi"}'.`);
  return parsed as Record<string, unknown>;
}

const numberOf = (flag: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new AuraError('invalid_input', `--${flag} must be a number.`);
  return n;
};

const clean = (args: Record<string, unknown>) => JSON.parse(JSON.stringify(args)) as Record<string, unknown>;

export function register(program: Command): void {
  const integrations = program.command('integrations').description('Connectors to Jira, Slack and GitHub: list, configure, check, call (writes wait for approval)');

  serverOptions(integrations.command('list').description("The connectors of the token's workspace and their methods")).action(
    act('integrations list', async (options: ServerOptions) =>
      withDirector(options, async (client) => {
        const { connectors } = (await client.call('list_integrations', {})) as { connectors: Json[] };
        if (options.json) return printJson({ connectors });
        printTable(
          connectors.map((c) => ({ workspace: c.workspaceId, name: c.name, kind: c.kind, url: c.baseUrl, credential: c.credentialRef, writes: c.methods.filter((m: Json) => m.write).map((m: Json) => m.name).join(', ') })),
          ['workspace', 'name', 'kind', 'url', 'credential', 'writes'],
          'No connectors yet: aura integrations configure NAME --kind KIND --url URL --credential env:NAME',
        );
      }),
    ),
  );

  serverOptions(
    integrations
      .command('configure')
      .description('Add or replace a connector (the credential is a reference, read at each call)')
      .argument('<name>', 'connector name')
      .requiredOption('--kind <kind>', 'jira, slack or github')
      .requiredOption('--url <url>', 'the system’s base URL')
      .requiredOption('--credential <ref>', 'env:NAME or file:/path')
      .option('--settings <json>', 'jira: {"auth":"basic","email":"…"}; github: {"owner":"…","repo":"…","pushRemote":"…"}')
      .option('--rate <perSecond>', 'calls per second (shared by every Manager)')
      .option('--burst <n>', 'calls at once after a quiet spell'),
  ).action(
    act('integrations configure', async (name: string, options: ServerOptions & { kind: string; url: string; credential: string; settings?: string; rate?: string; burst?: string }) => {
      const args = clean({ name, kind: options.kind, baseUrl: options.url, credentialRef: options.credential, settings: jsonObject('settings', options.settings), ratePerSecond: numberOf('rate', options.rate), burst: numberOf('burst', options.burst) });
      return withDirector(options, async (client) => {
        const { connector } = (await client.call('configure_integration', args)) as { connector: Json };
        if (options.json) printJson({ connector });
        else process.stdout.write(`Configured ${connector.kind} connector ${connector.name} (${connector.id}) in workspace ${connector.workspaceId}.\n`);
      });
    }),
  );

  serverOptions(integrations.command('check').description('Ask the system whether the connector works').argument('<name>', 'connector name')).action(
    act('integrations check', async (name: string, options: ServerOptions) =>
      withDirector(options, async (client) => {
        const health = (await client.call('check_integration', clean({ name }))) as Json;
        if (options.json) printJson(health);
        else process.stdout.write(`${health.ok ? 'ok' : 'DOWN'}  ${name} (${health.kind}, ${health.latencyMs} ms): ${health.detail}\n`);
        return health.ok ? 0 : 1;
      }),
    ),
  );

  serverOptions(
    integrations
      .command('call')
      .description('Call a method: a read answers now, a write becomes an approval (aura approve ID)')
      .argument('<name>', 'connector name')
      .argument('<method>', 'method (aura integrations list shows them)')
      .option('--params <json>', 'the method’s params as a JSON object')
      .option('--run <run>', 'the run it is for')
      .option('--key <idempotencyKey>', 'calls with one key are one call (default: a write’s params)'),
  ).action(
    act('integrations call', async (name: string, method: string, options: ServerOptions & { params?: string; run?: string; key?: string }) => {
      const args = clean({ connector: name, method, params: jsonObject('params', options.params), runId: options.run, idempotencyKey: options.key });
      return withDirector(options, async (client) => {
        const answer = (await client.call('call_integration', args)) as Json;
        if (options.json) return printJson(answer);
        const call = answer.call as Json;
        if (answer.heldForApproval) process.stdout.write(`${call.id} waits for the Director: aura approve ${call.id}${answer.deduplicated ? ' (asked before)' : ''}\n`);
        else process.stdout.write(`${call.id} ${call.status}${answer.deduplicated ? ' (asked before)' : ''}\n${JSON.stringify(call.result ?? call.error, null, 2)}\n`);
      });
    }),
  );
}

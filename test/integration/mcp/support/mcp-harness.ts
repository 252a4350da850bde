// Test harness of the MCP surface: a core on a test store, the HTTP endpoint on an ephemeral port, real SDK clients.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '../../../../core/config/config';
import type { CoreContext } from '../../../../core/core-context';
import { systemClock } from '../../../../core/domain/clock';
import { createAuditSigner } from '../../../../core/events/chain';
import { createSilentLogger } from '../../../../core/observability/logger';
import { createMetrics } from '../../../../core/observability/metrics';
import type { Store } from '../../../../core/store/store';
import type { Role } from '../../../../mcp-server/auth/roles';
import { createTokenStore } from '../../../../mcp-server/auth/token-store';
import { type McpHttpServer, startMcpHttp } from '../../../../mcp-server/mcp/http/start-mcp-http';
import { testEventLog, TEST_AUDIT_KEY } from '../../../support/events';
import { CLI } from '../../../support/cli';
import { type Behaviour, behaviours, createInProcessWorkforce, type InProcessWorkforce } from '../../../support/in-process-workers';
import type { Assignment } from '../../../../core/workforce/worker';
import type { ModelProvider } from '../../../../core/workforce/model-provider';
import type { ToolDefinition } from '../../../../mcp-server/mcp/tool-definition';
import { migrations } from '../../../support/stores';
import { migrate } from '../../../../core/store/migrations';
import { openPgliteStore } from '../../../../adapters/store-pglite/pglite-store';

export function tmpHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'aura-mcp-'));
}

let template: Promise<string> | undefined;

/**
 * A fresh AURA_HOME whose embedded database is already created and migrated: PGlite's first start (initdb in
 * WebAssembly) costs many seconds, so it is done once per test process and the folder copied for each test.
 */
export async function seededHome(): Promise<string> {
  template ??= (async () => {
    const dir = tmpHome();
    const store = await openPgliteStore({ dataDir: path.join(dir, 'db') });
    try {
      await migrate(store, migrations());
    } finally {
      await store.close();
    }
    return dir;
  })();
  const home = tmpHome();
  fs.cpSync(path.join(await template, 'db'), path.join(home, 'db'), { recursive: true });
  return home;
}

/** A CoreContext over a test store, the way openCore builds one (fixed audit key, silent logs). */
export function testCore(store: Store, env: Record<string, string> = {}): CoreContext {
  const config = loadConfig({ AURA_HOME: tmpHome(), AURA_LOG_LEVEL: 'silent', ...env });
  return {
    config,
    store,
    events: testEventLog(store),
    signer: createAuditSigner(TEST_AUDIT_KEY),
    clock: systemClock,
    logger: createSilentLogger(),
    metrics: createMetrics({ defaultMetrics: false }),
    readiness: [],
  };
}

/** In-process employees that succeed after `workMs` (default at once), unless a test scripts them otherwise. */
export function testWorkforce(behaviour: (a: Assignment) => Behaviour = () => behaviours.succeed()) {
  return createInProcessWorkforce(behaviour);
}

export async function startTestHttp(core: CoreContext, options: { workforce?: InProcessWorkforce; extraTools?: readonly ToolDefinition[]; plannerModel?: ModelProvider } = {}): Promise<McpHttpServer> {
  const workforce = options.workforce ?? testWorkforce();
  return startMcpHttp({
    core,
    config: core.config,
    logger: core.logger,
    port: 0,
    extraTools: options.extraTools,
    compose: { inProcess: workforce.factory, plannerModel: options.plannerModel, scheduler: { pollMs: 250, leaseMs: 10_000, employeeRefreshMs: 0, stopGraceMs: 0 } },
  });
}

/** Creates a token of `role` (an employee token needs the employee's id) and returns its secret. */
export async function tokenFor(core: CoreContext, role: Role, employeeId?: string): Promise<string> {
  const { secret } = await createTokenStore(core).create({ role, name: `test-${role}`, employeeId }, 'director:test');
  return secret;
}

export async function httpClient(url: string, token: string | undefined, options: { tools?: string; headers?: Record<string, string> } = {}): Promise<Client> {
  const target = new URL(url);
  if (options.tools) target.searchParams.set('tools', options.tools);
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const client = new Client({ name: 'aura-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(target, { requestInit: { headers } }));
  return client;
}

/** Spawns `aura mcp` from source and connects a Client to it over stdio; stderr is kept for assertions. */
export async function stdioClient(env: Record<string, string | undefined>, args: string[] = []): Promise<{ client: Client; stderr(): string }> {
  const childEnv: Record<string, string> = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', AURA_LOG_LEVEL: 'warn' };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--require', 'tsx/cjs', CLI, 'mcp', ...args],
    env: childEnv,
    cwd: path.join(__dirname, '..', '..', '..', '..'),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'aura-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** The number of events in the log: a refused call must leave it unchanged. */
export async function eventCount(store: Store): Promise<number> {
  return Number((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM aura.events')).rows[0]!.n);
}

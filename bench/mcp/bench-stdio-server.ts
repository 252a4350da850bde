// The stdio side of the MCP bench: the same server `aura mcp` runs (serveStdio), plus the no-op baseline tool.
import { localDirector } from '../../mcp-server/auth/roles';
import { openAuraServices } from '../../mcp-server/mcp/compose/open-aura-services';
import { createMcpRuntime } from '../../mcp-server/mcp/mcp-runtime';
import { serveStdio } from '../../mcp-server/mcp/stdio/serve-stdio';
import { benchCore, finishedRun, instantWorkers, noopTool } from './bench-setup';

async function main() {
  const core = await benchCore();
  const aura = await openAuraServices(core, { inProcess: instantWorkers, scheduler: { pollMs: 50 } });
  const runtime = await createMcpRuntime(core, { services: aura, extraTools: [noopTool] });
  // The run exists before the client connects; it finds it with list_runs.
  await finishedRun(aura.orchestrator);
  await serveStdio(runtime, localDirector, { kind: 'full' });
  await aura.stop(0);
  await runtime.close();
  await core.store.close();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});

// prompts/list and prompts/get: arguments checked with zod (bad arguments are InvalidParams).
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describeIssues } from '../../../core/domain/errors';
import { argumentShapeProblem } from '../input-limits';
import { renderWritePrd, writePrdArgs, writePrdPrompt } from './write-prd-prompt';

export function installPromptHandlers(server: Server): void {
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: [writePrdPrompt] }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    if (request.params.name !== writePrdPrompt.name) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt "${String(request.params.name).slice(0, 100)}".`);
    const args = request.params.arguments ?? {};
    const shape = argumentShapeProblem(args);
    if (shape) throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for write_prd: ${shape}.`);
    const parsed = writePrdArgs.safeParse(args);
    if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for write_prd: ${describeIssues(parsed.error.issues)}`);
    return renderWritePrd(parsed.data);
  });
}

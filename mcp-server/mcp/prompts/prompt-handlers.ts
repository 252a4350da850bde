// prompts/list and prompts/get: arguments checked with zod (bad arguments are InvalidParams).
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { describeIssues } from '../../../core/domain/errors';
import { argumentShapeProblem } from '../input-limits';
import { looseRequest, paramsOf } from '../loose-request';
import { renderWritePrd, writePrdArgs, writePrdPrompt } from './write-prd-prompt';

const getParams = z.looseObject({ name: z.string().max(200), arguments: z.record(z.string(), z.unknown()).optional() });

export function installPromptHandlers(server: Server): void {
  server.setRequestHandler(looseRequest('prompts/list'), () => ({ prompts: [writePrdPrompt] }));
  server.setRequestHandler(looseRequest('prompts/get'), (request) => {
    const params = paramsOf(getParams, request.params, 'prompts/get');
    if (params.name !== writePrdPrompt.name) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt "${params.name.slice(0, 100)}".`);
    const args = params.arguments ?? {};
    const shape = argumentShapeProblem(args);
    if (shape) throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for write_prd: ${shape}.`);
    const parsed = writePrdArgs.safeParse(args);
    if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for write_prd: ${describeIssues(parsed.error.issues)}`);
    return renderWritePrd(parsed.data);
  });
}

// Request schemas that only pin the method, so that malformed params reach our own checks and become InvalidParams.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { describeIssues } from '../../core/domain/errors';

/**
 * The SDK parses a request with the schema its handler was registered with, and a failure there is answered as an
 * internal error (-32603). Registering with this loose schema moves that check into `paramsOf`, which answers
 * -32602 (InvalidParams) naming the field, as the protocol asks for bad params.
 */
export function looseRequest<M extends string>(method: M) {
  return z.object({ method: z.literal(method), params: z.unknown().optional() });
}

export function paramsOf<S extends z.ZodType>(schema: S, params: unknown, method: string): z.output<S> {
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Invalid ${method} params: ${describeIssues(parsed.error.issues).slice(0, 1000)}`);
  return parsed.data;
}

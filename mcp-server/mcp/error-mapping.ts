// Maps what a tool throws to what the caller sees: a readable `isError` result; internals stay in the log.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AuraError, toAuraError } from '../../core/domain/errors';
import type { Logger } from '../../core/observability/logger';

/** A failed operation as a tool result: `code: message`, plus whether retrying can help. */
export function toolError(error: AuraError): CallToolResult {
  const hint = error.retryable ? ' (retrying may help)' : '';
  return { content: [{ type: 'text', text: `${error.code}: ${error.message}${hint}` }], isError: true };
}

/**
 * Known failures keep their message. Anything unclassified is a bug: logged with its stack under a reference,
 * and the caller gets only that reference (no stack, SQL or path leaks to the client).
 */
export function mapThrown(error: unknown, tool: string, logger: Logger): CallToolResult {
  const aura = toAuraError(error);
  if (AuraError.is(error) && error.code !== 'internal') return toolError(aura);
  const ref = `err_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  logger.error({ tool, ref, err: aura.message, stack: (error as Error)?.stack }, 'tool failed with an internal error');
  return toolError(new AuraError('internal', `Internal error in ${tool}; the server log has the details under ${ref}.`));
}

// The tool-call side of recording: what a worker runs besides the model (a command, a file write) is recorded alike.
import type { z } from 'zod';
import type { CallRecorder } from './call-recorder';

export interface ToolCall {
  /** The tool's name ('shell', 'write_file', ...). */
  tool: string;
  /** Everything that determines the result, JSON-serialisable. Never a secret: it is stored as given. */
  args: unknown;
}

/**
 * Runs a tool call through the recorder: in record mode it runs and its result (or error) is stored
 * under sha256(canonical {provider: 'tool', model: tool, params: args}); in replay mode the stored
 * result is returned and `run` is not called. The result must survive JSON (a Buffer does not: pass text).
 */
export function recordToolCall<T>(recorder: CallRecorder, call: ToolCall, run: () => Promise<T>, schema?: z.ZodType<T>): Promise<T> {
  return recorder.call({ kind: 'tool', provider: 'tool', model: call.tool, params: call.args }, run, { schema });
}

/**
 * A tool call whose effect is the work (a command in the workspace): it always runs; it is recorded in record
 * mode, and in a replay run its outcome is compared with the original's.
 */
export function recordLiveToolCall<T>(recorder: CallRecorder, call: ToolCall, run: () => Promise<T>): Promise<T> {
  return recorder.call({ kind: 'tool', provider: 'tool', model: call.tool, params: call.args }, run, { live: true });
}
